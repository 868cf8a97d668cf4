"""The PDF edition: each published issue typeset by Typst."""
