from django.contrib import admin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "verified_email", "email_verified_at", "created_at"]
    search_fields = ["user__username", "user__email", "display_name"]
    readonly_fields = ["user", "signup_address", "created_at", "verified_email", "email_verified_at"]
