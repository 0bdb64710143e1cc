from django.conf import settings
from django.http import JsonResponse


class RequestBodyLimitMiddleware:
    """Refuse request bodies larger than DATA_UPLOAD_MAX_MEMORY_SIZE with 413.

    Django enforces the limit only when it reads the body itself; the REST
    framework's parsers read the stream directly, so the size is checked here,
    from the declared length, before anything reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse(
                {"detail": "Invalid Content-Length header."}, status=400
            )
        if limit is not None and length > limit:
            return JsonResponse(
                {"detail": f"Request body too large; the limit is {limit} bytes."},
                status=413,
            )
        return self.get_response(request)
