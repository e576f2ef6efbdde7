"""A small OpenID Connect provider the sign-in tests run on a port of their own: real HTTP,
discovery, the authorization code flow, a userinfo endpoint and a JWKS, built with Authlib's
Flask integration (the reference server of the library) and served by werkzeug on a thread.

Its one reader is signed in already (a newsroom's single sign-on page would ask them): the
authorization endpoint answers at once with a code, as a provider does for a known session.
"""

import secrets
import threading
import time
from dataclasses import dataclass, field

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, request
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server


@dataclass
class Reader:
    sub: str
    email: str
    name: str
    preferred_username: str


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str] = field(default_factory=list)

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope):
        return " ".join(s for s in scope.split() if s in {"openid", "profile", "email"})

    def check_redirect_uri(self, redirect_uri):
        return not self.redirect_uris or redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    reader: Reader
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


class Provider:
    """The provider on 127.0.0.1:<port>; `.issuer` is its discovery base, `.close()` stops it."""

    def __init__(self, port: int, *, client_id: str, client_secret: str, reader: Reader):
        self.issuer = f"http://127.0.0.1:{port}"
        self.reader = reader
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.client = Client(client_id, client_secret)
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, Reader] = {}
        self.requests: list[str] = []  # the paths asked for, in order
        self.app = self._app()
        self.server = make_server("127.0.0.1", port, self.app, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()

    def _app(self) -> Flask:
        app = Flask(__name__)
        server = AuthorizationServer(app, query_client=self._query_client, save_token=self._save_token)
        server.register_grant(_code_grant(self), [_id_token(self)(require_nonce=False)])

        @app.before_request
        def note():
            self.requests.append(request.path)

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                userinfo_endpoint=f"{self.issuer}/userinfo",
                jwks_uri=f"{self.issuer}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                scopes_supported=["openid", "profile", "email"],
                token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
            )

        @app.get("/authorize")
        def authorize():
            return server.create_authorization_response(grant_user=self.reader)

        @app.post("/token")
        def token():
            return server.create_token_response()

        @app.get("/userinfo")
        def userinfo():
            reader = self.tokens.get(request.headers.get("Authorization", "").removeprefix("Bearer "))
            if reader is None:
                return jsonify(error="invalid_token"), 401
            return jsonify(dict(_user_info(reader, "openid profile email")))

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[self.key.as_dict(private=False)])

        return app

    def _query_client(self, client_id):
        return self.client if client_id == self.client.client_id else None

    def _save_token(self, token, req):
        self.tokens[token["access_token"]] = req.user


def _code_grant(provider: Provider) -> type:
    """The authorization code grant, its codes kept in the provider's memory."""

    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def save_authorization_code(self, code, req):
            provider.codes[code] = Code(
                code, req.client.client_id, req.payload.redirect_uri, req.payload.scope,
                req.payload.data.get("nonce"), req.user,
            )  # fmt: skip

        def query_authorization_code(self, code, client):
            found = provider.codes.get(code)
            return found if found and found.client_id == client.client_id else None

        def delete_authorization_code(self, authorization_code):
            provider.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code):
            return authorization_code.reader

    return CodeGrant


def _id_token(provider: Provider) -> type:
    """OpenID Connect on top of it: an ID token signed with the provider's RSA key (RS256)."""

    class IdToken(OpenIDCode):
        def resolve_client_private_key(self, client):
            return provider.key

        def get_client_claims(self, client):
            return {"iss": provider.issuer, "aud": [client.client_id]}

        def exists_nonce(self, nonce, req):
            return any(code.nonce == nonce for code in provider.codes.values())

        def generate_user_info(self, user, scope):
            return _user_info(user, scope)

    return IdToken


def _user_info(reader: Reader, scope: str) -> UserInfo:
    info = UserInfo(sub=reader.sub, name=reader.name, preferred_username=reader.preferred_username)
    if "email" in scope:
        info.update(email=reader.email, email_verified=True)
    return info
