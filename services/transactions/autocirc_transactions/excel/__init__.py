"""The Excel side of transactions: the import template's columns and conversions, the safe
streaming reader for uploads, and the template, errors and export workbooks (openpyxl)."""
