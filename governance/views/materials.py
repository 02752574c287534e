"""Written materials of a topic (R-AG-4): uploading them, and downloading one for who may read it (R-CO-1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record as audit_record
from governance.rules.refusals import TransitionRefused

from ..forms import MaterialForm
from ..models import Material
from ..permissions import access_meeting, access_topic
from ..selectors.confidential import can_read_topic
from ..services import materials as material_services
from .limits import limited
from .meetings import _back, _refused


@login_required
@require_POST
@limited("upload")
def material_upload(request, pk: int):
    """Add written material to a topic (R-AG-4)."""
    topic = access_topic(request.user, pk, "propose")
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return _back(topic.meeting, f"topic-{topic.pk}")
    try:
        material_services.add_material(actor=request.user, topic=topic, upload=form.cleaned_data["material"])
        messages.success(request, _("材料已上传。"))
    except TransitionRefused as error:
        _refused(request, error)
    return _back(topic.meeting, f"topic-{topic.pk}")


@login_required
def material_download(request, pk: int):
    """Download a material: only for those who may see its meeting and read its topic (R-CO-1)."""
    material = get_object_or_404(Material.objects.select_related("topic__category", "topic__meeting"), pk=pk)
    access_meeting(request.user, material.topic.meeting_id)
    if not can_read_topic(request.user, material.topic):
        raise Http404("no such material")
    audit_record(actor=request.user, category="download", action="material", obj=material, request=request,
                 detail={"topic": material.topic_id, "confidential": material.topic.category.confidential})
    response = FileResponse(material.file.open("rb"), as_attachment=True, filename=material.original_name,
                            content_type=material.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
