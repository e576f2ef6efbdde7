"""The newsroom's Bearer JWT in the OpenAPI document (imported by EmbedConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class NewsroomJwtScheme(OpenApiAuthenticationExtension):
    target_class = "embed.sso.BearerAuthentication"
    name = "newsroomJWT"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A reader signed in by the newsroom's own site: HS256 with SSO_JWT_SECRET (`kid` "
            "names the key), claims `{user: {id, email, username}, iat, exp, jti?}`. The reader's account "
            "here is linked by `user.id`. Expired, wrongly signed, `alg: none`, too old, unknown kid or "
            "revoked (DELETE /api/v1/auth/token/ revokes its `jti`): 401.",
        }
