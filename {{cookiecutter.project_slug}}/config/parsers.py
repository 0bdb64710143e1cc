from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """The REST framework's JSON parser, answering 400 to absurdly deep nesting.

    Python's decoder gives up on a few thousand nested arrays with a
    RecursionError, which would otherwise reach the client as a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
