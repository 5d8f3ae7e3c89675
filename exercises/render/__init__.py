"""Views of items: text and HTML for pages, exports and printouts."""
