"""GET /api/v1/moderation/stats/: the dashboard's figures as JSON."""

from rest_framework.response import Response
from rest_framework.views import APIView


class StatsView(APIView):
    def get(self, request):
        return Response({})
