"""Documents people read and data others load: letters, notices, reports (Dutch and English, Markdown and
HTML), the procurement record, OCDS."""
