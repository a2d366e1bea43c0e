"""Import of museums from the national directory's format and the platform's own (placeholder)."""

from django.http import HttpResponse


def upload(request):
    return HttpResponse("TODO")


def preview(request, batch_id):
    return HttpResponse("TODO")


def export(request):
    return HttpResponse("TODO")
