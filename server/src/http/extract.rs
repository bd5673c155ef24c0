//! Who is asking: the client (address, browser), the signed-in person ([`CurrentUser`],
//! [`MaybeUser`]) and an admin who gave their second factor in this session
//! ([`AdminUser`]). The admin check is [`admin_access`], and only there.

use super::{FormContext, HttpError, HttpState, response::see_other};
use app::i18n::Locale;
use axum::{
    extract::{ConnectInfo, FromRef, FromRequestParts},
    http::request::Parts,
    response::{IntoResponse, Response},
};
use domain::{
    AppState,
    accounts::{
        self, AdminAccess, User,
        sessions::{self, DeviceInfo, flow},
    },
};
use std::net::{IpAddr, SocketAddr};
use tower_sessions::Session;

/// Where to go after signing in (the page the person was turned away from).
pub const AFTER_SIGN_IN: &str = "auth.after_sign_in";

/// The request's client, for rate limits and the device list.
#[derive(Clone, Debug)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
    pub country: Option<String>,
}

impl Client {
    /// The client of a request. Its address is the connection's peer, unless that peer is
    /// one of our `trusted` proxies: then the address the proxy reports (Cloudflare's
    /// `CF-Connecting-IP`, else the nearest untrusted hop of `X-Forwarded-For`) and the
    /// country it reports (`CF-IPCountry`). From anyone else those headers count for
    /// nothing, so nobody can pick the address their limits are counted under.
    pub fn of(parts: &Parts, trusted: &[ipnet::IpNet]) -> Client {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let behind_proxy = peer.is_some_and(|ip| trusted.iter().any(|net| net.contains(&ip)));
        let (ip, country) = if behind_proxy {
            let forwarded = header("cf-connecting-ip")
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
                .or_else(|| {
                    header("x-forwarded-for").and_then(|v| nearest_untrusted_hop(&v, trusted))
                });
            (forwarded.or(peer), header("cf-ipcountry"))
        } else {
            (peer, None)
        };
        Client {
            ip: ip.map_or_else(|| "unknown".into(), |ip| ip.to_string()),
            user_agent: header("user-agent").unwrap_or_default(),
            country,
        }
    }

    pub fn device(&self) -> DeviceInfo {
        DeviceInfo {
            user_agent: self.user_agent.chars().take(400).collect(),
            ip: self.ip.clone(),
            location: domain::useragent::approximate_location(&self.ip, self.country.as_deref()),
        }
    }
}

/// The client's address in an `X-Forwarded-For` list: read from the right (the hop our
/// proxy added last), skipping our own proxies; the first other address is the client as
/// far as we can know it (anything left of it could be made up by the client).
fn nearest_untrusted_hop(list: &str, trusted: &[ipnet::IpNet]) -> Option<IpAddr> {
    let hops: Vec<IpAddr> = list
        .split(',')
        .map(|hop| hop.trim().parse::<IpAddr>().ok())
        .collect::<Option<_>>()?;
    hops.iter()
        .rev()
        .find(|ip| !trusted.iter().any(|net| net.contains(*ip)))
        .or(hops.first())
        .copied()
}

/// The signed-in person, if any.
pub struct MaybeUser(pub Option<User>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser
where
    AppState: FromRef<S>,
{
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| HttpError::internal("no session layer"))?;
        let state = AppState::from_ref(state);
        let user = sessions::signed_in_user(&state, &session)
            .await
            .map_err(HttpError::domain)?;
        Ok(MaybeUser(user))
    }
}

/// The signed-in person; anyone else is sent to sign in.
pub struct CurrentUser(pub User);

impl FromRequestParts<HttpState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = FormContext::from_request_parts(parts, state).await?;
        match ctx.user().await {
            Ok(Some(user)) => Ok(CurrentUser(user)),
            Ok(None) => Err(see_other(&ctx.path("/sign-in"))),
            Err(error) => Err(ctx.refuse("", error, &[]).await),
        }
    }
}

/// The admin check for this session: the role and two-factor rules are the domain's
/// ([`accounts::admin_access`]); the session says whether a code was given.
pub async fn admin_access(user: &User, session: &Session, enrolling: bool) -> AdminAccess {
    accounts::sessions::admin_access(session, user, enrolling).await
}

/// The answer to a refused admin check at `path`: 403 for someone who is not an admin,
/// else the way to the missing second factor. `None` when access is granted.
pub async fn admin_refusal(
    access: AdminAccess,
    user: &User,
    session: &Session,
    path: &str,
) -> Option<Response> {
    let locale = Locale::split_path(path).0;
    match access {
        AdminAccess::Granted => None,
        AdminAccess::NotAdmin => Some(HttpError::forbidden().into_response()),
        AdminAccess::MustEnrol => Some(see_other(&locale.path("/admin/two-factor"))),
        AdminAccess::MustGiveCode => {
            // Promoted or enrolled elsewhere while signed in: prove it here too.
            let _ = session.insert(flow::PENDING_TWO_FACTOR, &user.id).await;
            let _ = session.insert(AFTER_SIGN_IN, path).await;
            Some(see_other(&locale.path("/sign-in/two-factor")))
        }
    }
}

async fn admin_from_parts(
    parts: &mut Parts,
    state: &HttpState,
    enrolling: bool,
) -> Result<User, Response> {
    let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
    let session = Session::from_request_parts(parts, state)
        .await
        .map_err(|(status, _)| status.into_response())?;
    let access = admin_access(&user, &session, enrolling).await;
    match admin_refusal(access, &user, &session, parts.uri.path()).await {
        None => Ok(user),
        Some(refused) => Err(refused),
    }
}

/// An admin who has enrolled two-factor and given a code in this session.
pub struct AdminUser(pub User);

impl FromRequestParts<HttpState> for AdminUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        admin_from_parts(parts, state, false).await.map(AdminUser)
    }
}

/// An admin enrolling two-factor: the admin role, and a code given in this session if
/// two-factor is already on.
pub struct EnrollingAdmin(pub User);

impl FromRequestParts<HttpState> for EnrollingAdmin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        admin_from_parts(parts, state, true)
            .await
            .map(EnrollingAdmin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(peer: &str, headers: &[(&str, &str)]) -> Parts {
        let mut request = axum::http::Request::builder().uri("/");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let (mut parts, ()) = request.body(()).unwrap().into_parts();
        parts
            .extensions
            .insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
        parts
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let spoofed = [
            ("x-forwarded-for", "198.51.100.7"),
            ("cf-connecting-ip", "198.51.100.8"),
            ("cf-ipcountry", "CN"),
        ];
        // No proxy configured, or a peer that is not one: the peer, no country.
        let direct = Client::of(&parts("203.0.113.9:5000", &spoofed), &[]);
        assert_eq!((direct.ip.as_str(), direct.country), ("203.0.113.9", None));
        let proxies: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let stranger = Client::of(&parts("203.0.113.9:5000", &spoofed), &proxies);
        assert_eq!(stranger.ip, "203.0.113.9");
        assert_eq!(stranger.country, None);

        // Behind Cloudflare (a trusted peer): its headers.
        let cloudflare = Client::of(&parts("10.1.2.3:443", &spoofed), &proxies);
        assert_eq!(cloudflare.ip, "198.51.100.8");
        assert_eq!(cloudflare.country.as_deref(), Some("CN"));

        // Behind a chain of proxies: the nearest hop that is not ours. A client's own
        // made-up entries sit to the left of it and are ignored.
        let chain = [("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.0.0.5")];
        let client = Client::of(&parts("10.1.2.3:443", &chain), &proxies);
        assert_eq!(client.ip, "198.51.100.7");
        // Garbage in the header: the proxy's own address, never the garbage.
        let garbage = [("x-forwarded-for", "not-an-ip")];
        assert_eq!(
            Client::of(&parts("10.1.2.3:443", &garbage), &proxies).ip,
            "10.1.2.3"
        );
    }
}
