"""The PDF edition: each published issue (and each publication whose full text we hold) typeset by Typst."""
