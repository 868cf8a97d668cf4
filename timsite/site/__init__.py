"""Which pages exist and where: URLs, generated pages as Markdown, the home page, the Jinja set-up."""
