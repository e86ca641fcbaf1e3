"""reports: monthly, quarterly and annual reports and regional statistics."""
