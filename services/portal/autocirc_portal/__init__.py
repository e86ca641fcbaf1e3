"""portal: the public notices of the seed's header (政策发布 / 综合信息 / 重要通知 / 表格下载) and their attachments."""
