"""Reading PDFs: opening safely, pages that are always closed, words and lines with boxes."""
from mrs_etl.pdf.document import open_pdf, iter_pages, page_count
from mrs_etl.pdf.lines import Line, Word, page_words, group_lines

__all__ = ["open_pdf", "iter_pages", "page_count", "Line", "Word", "page_words", "group_lines"]
