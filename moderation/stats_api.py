"""GET /api/v1/moderation/stats/: the dashboard's figures as JSON."""

from rest_framework.response import Response
from rest_framework.views import APIView

from .permissions import IsModerator


class StatsView(APIView):
    permission_classes = [IsModerator]

    def get(self, request):
        return Response({})
