# Correct: a DRF permission named for QStash, defined in another module, guards the view.
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from apps.common.permissions import IsQStashAuthenticated


@api_view(["POST"])
@permission_classes([IsQStashAuthenticated])
def pipeline_webhook(request):
    # ok: upstash-qstash-delivery-signature-never-checked-python
    message_id = request.META.get("HTTP_UPSTASH_MESSAGE_ID")
    run_pipeline(message_id, request.data)
    return Response({"ok": True})
