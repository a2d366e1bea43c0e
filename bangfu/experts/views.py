from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("TODO")


directory = create = detail = edit = _todo
