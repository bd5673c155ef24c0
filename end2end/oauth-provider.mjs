/**
 * A local OpenID Connect provider for the end-to-end tests, standing in for Google:
 * `oauth2-mock-server` on 127.0.0.1:${OAUTH_PORT:-3201}, made strict where our server's
 * side of the protocol matters (authorization code with PKCE S256 and state, client
 * authentication with HTTP Basic, the same redirect_uri at both ends, a bearer token for
 * userinfo). Anything wrong is refused the way a real provider would, and said on stderr.
 *
 * Who signs in: a test sets the cookie `e2e_oauth_identity` (base64url of
 * `{"email":…,"name":…}`) for this host in its browser context; the browser sends it with
 * the authorization request, and that identity follows the code to the token and the
 * token to userinfo. Without the cookie the person is mock-user@example.com, "Mock User".
 * Each test thereby signs in as a person of its own, whichever worker runs it.
 */
import { OAuth2Server } from 'oauth2-mock-server';

const HOST = '127.0.0.1';
const PORT = Number(process.env.OAUTH_PORT ?? 3201);
const CLIENT_ID = process.env.OAUTH_CLIENT_ID ?? 'e2e-client';
const CLIENT_SECRET = process.env.OAUTH_CLIENT_SECRET ?? 'e2e-secret';
const IDENTITY_COOKIE = 'e2e_oauth_identity';
const DEFAULT_IDENTITY = { email: 'mock-user@example.com', name: 'Mock User' };

/** Authorization code → what the authorization request was, and who it was for. */
const codes = new Map();
/** Access token → who it was issued for. */
const tokens = new Map();

function refuse(what, detail) {
  console.error(`oauth-provider: refused ${what}: ${detail}`);
}

/** The identity the browser asked for with its cookie, or the default one. */
function identityOf(request) {
  const cookies = (request.headers.cookie ?? '').split(';').map((c) => c.trim());
  const raw = cookies
    .find((c) => c.startsWith(`${IDENTITY_COOKIE}=`))
    ?.slice(IDENTITY_COOKIE.length + 1);
  if (!raw) return DEFAULT_IDENTITY;
  try {
    const json = Buffer.from(decodeURIComponent(raw), 'base64url').toString('utf8');
    const { email, name } = JSON.parse(json);
    if (typeof email === 'string' && email.includes('@')) {
      return { email, name: typeof name === 'string' ? name : DEFAULT_IDENTITY.name };
    }
  } catch {
    // Fall through: an unreadable cookie is a broken test, said below.
  }
  refuse('an identity cookie', `cannot read ${IDENTITY_COOKIE}=${raw}`);
  return DEFAULT_IDENTITY;
}

/**
 * The client id and secret of an `Authorization: Basic …` header (RFC 6749 §2.3.1
 * form-encodes both before joining them).
 */
function basicCredentials(request) {
  const header = request.headers.authorization ?? '';
  const match = header.match(/^Basic\s+(\S+)$/i);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const unform = (s) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
}

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');

// The authorization request: checked, then its code remembered with the person's identity.
server.service.on('beforeAuthorizeRedirect', (redirect, request) => {
  const q = request.query;
  const problems = [];
  if (q.client_id !== CLIENT_ID) problems.push(`client_id is ${q.client_id}`);
  if (q.response_type !== 'code') problems.push(`response_type is ${q.response_type}`);
  if (!q.state) problems.push('no state');
  if (!q.code_challenge) problems.push('no PKCE code_challenge');
  if (q.code_challenge_method !== 'S256') {
    problems.push(`code_challenge_method is ${q.code_challenge_method}`);
  }
  const scopes = String(q.scope ?? '').split(' ');
  for (const scope of ['openid', 'email']) {
    if (!scopes.includes(scope)) problems.push(`scope lacks ${scope} (${q.scope})`);
  }
  const url = redirect.url;
  const code = url.searchParams.get('code');
  if (problems.length > 0) {
    refuse('an authorization request', problems.join('; '));
    url.searchParams.delete('code');
    url.searchParams.set('error', 'invalid_request');
    url.searchParams.set('error_description', problems.join('; '));
    return;
  }
  codes.set(code, { redirectUri: q.redirect_uri, identity: identityOf(request) });
});

// The token request: the client authenticates with HTTP Basic, sends the PKCE verifier
// (the library checks it against the challenge) and the same redirect_uri; a code works once.
server.service.on('beforeResponse', (response, request) => {
  const body = request.body ?? {};
  const fail = (status, error, detail) => {
    refuse('a token request', detail);
    response.statusCode = status;
    response.body = { error, error_description: detail };
  };
  if (body.grant_type !== 'authorization_code') {
    return fail(400, 'unsupported_grant_type', `grant_type is ${body.grant_type}`);
  }
  const client = basicCredentials(request);
  if (!client || client.id !== CLIENT_ID || client.secret !== CLIENT_SECRET) {
    const detail = client
      ? `client ${client.id} with a wrong secret`
      : 'no HTTP Basic client authentication';
    return fail(401, 'invalid_client', detail);
  }
  if (body.client_secret !== undefined) {
    return fail(400, 'invalid_request', 'the client secret was sent in the body as well');
  }
  const issued = codes.get(body.code);
  codes.delete(body.code);
  if (!issued) return fail(400, 'invalid_grant', 'unknown or already used code');
  if (!body.code_verifier) return fail(400, 'invalid_grant', 'no PKCE code_verifier');
  if (body.redirect_uri !== issued.redirectUri) {
    const detail = `redirect_uri ${body.redirect_uri} is not ${issued.redirectUri}`;
    return fail(400, 'invalid_grant', detail);
  }
  tokens.set(response.body.access_token, issued.identity);
});

// Userinfo: only for a bearer token this provider issued; the person the code was for.
server.service.on('beforeUserinfo', (response, request) => {
  const token = (request.headers.authorization ?? '').match(/^Bearer\s+(\S+)$/i)?.[1];
  const identity = token ? tokens.get(token) : undefined;
  if (!identity) {
    refuse('a userinfo request', token ? 'unknown access token' : 'no bearer token');
    response.statusCode = 401;
    response.body = { error: 'invalid_token' };
    return;
  }
  response.body = {
    sub: `e2e-${identity.email.toLowerCase()}`,
    email: identity.email,
    email_verified: true,
    name: identity.name,
  };
});

await server.start(PORT, HOST);
console.log(`oauth-provider: listening at ${server.issuer.url}`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.stop().finally(() => process.exit(0));
  });
}
