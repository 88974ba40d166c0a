// The local stand-in for CSAM (the federal authentication service, FAS): the OpenID
// Certified `oidc-provider` package, one confidential client (identity-svc), the
// authorization code flow with PKCE (S256) required, and test identities whose ID token
// carries the national register number in `egovNRN`, the claim FAS uses.
//
// Started by infra/local/servers.py (`make run`, the test platform); installed by
// install.sh into .cache/platform/oidc (this file is copied next to its node_modules).
// Listens on 127.0.0.1 only; makes no outbound calls. Dev/test only: the client secret
// and the identities' password are public.
//
// Environment (all optional):
//   OIDC_PORT            8009
//   OIDC_ISSUER          http://127.0.0.1:<port>
//   OIDC_STATE_DIR       where the signing key and cookie keys are kept (default: cwd)
//   OIDC_CLIENT_ID       identity-svc
//   OIDC_CLIENT_SECRET   identity-svc-dev-secret
//   OIDC_REDIRECT_URIS   space/comma separated, exact match (oidc-provider, web client);
//                        default: identity-svc's callback on 127.0.0.1:8001 and localhost:8001,
//                        and the portal's /csam/callback through the gateway on :8080
//   OIDC_EXTRA_REDIRECT_URIS  added to the above (e.g. identity-svc on another port)

import { generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

import Provider from 'oidc-provider';

const HOST = '127.0.0.1';
const PORT = Number(process.env.OIDC_PORT || 8009);
const ISSUER = process.env.OIDC_ISSUER || `http://${HOST}:${PORT}`;
const STATE_DIR = process.env.OIDC_STATE_DIR || process.cwd();
const CLIENT_ID = process.env.OIDC_CLIENT_ID || 'identity-svc';
const CLIENT_SECRET = process.env.OIDC_CLIENT_SECRET || 'identity-svc-dev-secret';
const uris = (value) => (value || '').split(/[\s,]+/).filter(Boolean);
const REDIRECT_URIS = [
  ...uris(
    process.env.OIDC_REDIRECT_URIS
      || 'http://127.0.0.1:8001/v1/csam/callback http://localhost:8001/v1/csam/callback '
        // the member portal's callback through the gateway (`make run`: identity's
        // CSAM_REDIRECT_URI; portal-web/README.md "CSAM through the portal")
        + 'http://127.0.0.1:8080/csam/callback http://localhost:8080/csam/callback',
  ),
  ...uris(process.env.OIDC_EXTRA_REDIRECT_URIS),
];

// Test identities (docs/services/identity.md, "CSAM login"). Password for all: Demo-Passw0rd!
const PASSWORD = 'Demo-Passw0rd!';
const IDENTITIES = {
  // demo.titular's national register number: logs in to his existing account
  'demo.titular': { sub: 'csam-85073003328', egovNRN: '85073003328', given_name: 'Jan', family_name: 'Peeters' },
  // a member of the directory without a My LM account (identity's demo data):
  // the first CSAM login opens one after the terms are accepted (RG-5)
  'demo.newcomer': { sub: 'csam-92041212322', egovNRN: '92041212322', given_name: 'Tom', family_name: 'Janssens' },
  // a valid national register number My LM does not know
  'demo.unknown': { sub: 'csam-70010199762', egovNRN: '70010199762', given_name: 'Nora', family_name: 'Onbekend' },
};
const BY_SUB = Object.fromEntries(Object.values(IDENTITIES).map((identity) => [identity.sub, identity]));

// Kept in the data folder so a restart keeps the keys (tokens and JWKS stay valid).
function persisted(name, make) {
  mkdirSync(STATE_DIR, { recursive: true });
  const file = join(STATE_DIR, name);
  if (!existsSync(file)) writeFileSync(file, JSON.stringify(make()), { mode: 0o600 });
  return JSON.parse(readFileSync(file, 'utf8'));
}

const signingKey = persisted('oidc-signing-key.json', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
});
const cookieKeys = persisted('oidc-cookie-keys.json', () => [randomBytes(32).toString('base64url')]);

const provider = new Provider(ISSUER, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: REDIRECT_URIS,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: cookieKeys },
  pkce: { required: () => true },
  // Scopes as FAS names them: `egovNRN` releases the national register number.
  claims: {
    openid: ['sub'],
    profile: ['given_name', 'family_name', 'name'],
    egovNRN: ['egovNRN'],
  },
  // Put the granted scopes' claims in the ID token too (not only at userinfo).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, sub) {
    const identity = BY_SUB[sub];
    if (!identity) return undefined;
    return {
      accountId: sub,
      claims: async () => ({
        ...identity,
        name: `${identity.given_name} ${identity.family_name}`,
      }),
    };
  },
  // identity-svc is the mutuality's own first-party client: no consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile egovNRN');
    await grant.save();
    return grant;
  },
});

for (const event of ['server_error', 'authorization.error', 'grant.error', 'userinfo.error']) {
  provider.on(event, (_ctx, error) => console.error(`${event}: ${error.name}: ${error.message}`));
}

// ------------------------------------------------------------------ the login pages

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, status, title, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:26rem;margin:3rem auto}label{display:block;margin:.6rem 0}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

function loginForm(res, uid, status = 200, error = '') {
  const names = Object.keys(IDENTITIES).map(escapeHtml).join(', ');
  page(res, status, 'CSAM (local test provider)', `
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Login <input name="login" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button>
</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Cancel</button></form>
<p><small>Test identities: ${names}.</small></p>`);
}

async function formBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function samePassword(given) {
  const a = Buffer.from(String(given));
  const b = Buffer.from(PASSWORD);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return page(res, 400, 'Wrong login session', '<p>Start again.</p>');
  const prompt = details.prompt.name;
  if (req.method === 'GET') {
    if (prompt === 'login') return loginForm(res, uid);
    // `consent` does not come up (loadExistingGrant); anything else is not supported here.
    return page(res, 400, 'Not supported', `<p>Prompt ${escapeHtml(prompt)}.</p>`);
  }
  if (action === 'abort') {
    const result = { error: 'access_denied', error_description: 'the user cancelled' };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
  const form = await formBody(req);
  const identity = IDENTITIES[form.get('login') || ''];
  if (action !== 'login' || prompt !== 'login') return page(res, 400, 'Not supported', '');
  if (!identity || !samePassword(form.get('password') || '')) {
    return loginForm(res, uid, 401, 'Unknown login or wrong password.');
  }
  const result = { login: { accountId: identity.sub, amr: ['pwd'] } };
  return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/;
const oidc = provider.callback();

createServer(async (req, res) => {
  const path = (req.url || '').split('?')[0];
  const match = INTERACTION.exec(path);
  if (!match) return oidc(req, res);
  const [, uid, action] = match;
  if ((req.method === 'GET') !== (action === undefined) || !['GET', 'POST'].includes(req.method)) {
    res.statusCode = 405;
    return res.end();
  }
  try {
    await interaction(req, res, uid, action);
  } catch (error) {
    console.error(`interaction ${uid}: ${error.name}: ${error.message}`);
    if (!res.headersSent) page(res, 400, 'Login session expired', '<p>Start again from My LM.</p>');
  }
}).listen(PORT, HOST, () => {
  console.log(`oidc-provider ${ISSUER} listening on ${HOST}:${PORT} (client ${CLIENT_ID})`);
});
