from django.db.models import QuerySet

from clausier.api.models import ApiToken
from clausier.sellers.models import Seller


def tokens_for_seller(*, seller: Seller) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(seller=seller).select_related("created_by")
