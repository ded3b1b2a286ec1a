#!/usr/bin/env bash
# Exercises the running Bluesky peer the way Herald's Bluesky connector does, with curl and
# the PDS only (as against bsky.social), and fails on the first surprise. Needs
# `bluesky.sh start` first; safe to rerun on the same network (handles get a fresh suffix).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/peers/lib.sh
. "$HERE/lib.sh"
[ -f "$STATE/bluesky.env" ] || die "no $STATE/bluesky.env: run scripts/peers/bluesky.sh start first"
set -a
# shellcheck disable=SC1091
. "$STATE/bluesky.env"
set +a
P=$HERALD_PEER_BSKY_PDS
J='Content-Type: application/json'
ok() { printf 'ok   %s\n' "$*"; }
# call [curl args...]: body on the first line(s), HTTP status on the last.
call() { curl -s -w '\n%{http_code}' "$@"; }
body() { sed '$d' <<<"$1"; }
code() { tail -n 1 <<<"$1"; }
expect() { # expect RESPONSE STATUS ERROR-OR-EMPTY WHAT
  [ "$(code "$1")" = "$2" ] || die "$4: expected $2, got $(code "$1"): $(body "$1")"
  if [ -n "$3" ]; then [ "$(body "$1" | jq -r .error)" = "$3" ] || die "$4: expected error $3: $(body "$1")"; fi
  ok "$4 -> $2 ${3:-}"
}
ms() { date +%s%3N; }
# A TID (what app.bsky.feed.post rkeys must be): microseconds << 10 | clock id, in
# base32-sortable, 13 characters.
tid() {
  local a=234567abcdefghijklmnopqrstuvwxyz n s=""
  n=$((($(date +%s%6N) << 10) | (RANDOM & 1023)))
  for _ in $(seq 13); do s="${a:$((n & 31)):1}$s"; n=$((n >> 5)); done
  echo "$s"
}
now() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }

sfx=$(printf '%04x%04x' $RANDOM $RANDOM)
account() { # account NAME: creates NAME-<suffix>.test, prints its DID
  local r
  r=$(call "$P/xrpc/com.atproto.server.createAccount" -H "$J" \
    -d "{\"handle\":\"$1-$sfx.test\",\"email\":\"$1-$sfx@example.test\",\"password\":\"pw-$1-$sfx\"}")
  expect "$r" 200 "" "createAccount $1-$sfx.test" >&2
  body "$r" | jq -r .did
}
alice_did=$(account alice)
bob_did=$(account bob)
# alice signs in as Herald would: password session -> app password -> app-password session.
r=$(call "$P/xrpc/com.atproto.server.createSession" -H "$J" -d "{\"identifier\":\"alice-$sfx.test\",\"password\":\"pw-alice-$sfx\"}")
expect "$r" 200 "" "createSession (password)"
full=$(body "$r" | jq -r .accessJwt)
r=$(call "$P/xrpc/com.atproto.server.createAppPassword" -H "$J" -H "Authorization: Bearer $full" -d '{"name":"herald"}')
expect "$r" 200 "" "createAppPassword"
apw=$(body "$r" | jq -r .password)
r=$(call "$P/xrpc/com.atproto.server.createAppPassword" -H "$J" -H "Authorization: Bearer $full" -d '{"name":"herald"}')
ok "createAppPassword with a name in use -> $(code "$r") $(body "$r" | jq -r .error)"
r=$(call "$P/xrpc/com.atproto.server.createSession" -H "$J" -d "{\"identifier\":\"alice-$sfx.test\",\"password\":\"$apw\"}")
expect "$r" 200 "" "createSession (app password)"
A=$(body "$r" | jq -r .accessJwt); ART=$(body "$r" | jq -r .refreshJwt)
body "$r" | jq -e '.didDoc.service[0].serviceEndpoint' >/dev/null && ok "session carries didDoc (PDS endpoint)"
r=$(call "$P/xrpc/com.atproto.server.createSession" -H "$J" -d "{\"identifier\":\"bob-$sfx.test\",\"password\":\"pw-bob-$sfx\"}")
expect "$r" 200 "" "createSession bob"
B=$(body "$r" | jq -r .accessJwt)
HA=(-H "Authorization: Bearer $A"); HB=(-H "Authorization: Bearer $B")

PNG=$(mktemp --suffix=.png); trap 'rm -f "$PNG"' EXIT
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\10\2\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\3\1\1\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82' >"$PNG"
r=$(call "$P/xrpc/com.atproto.repo.uploadBlob" "${HA[@]}" -H 'Content-Type: image/png' --data-binary "@$PNG")
expect "$r" 200 "" "uploadBlob"
blob=$(body "$r" | jq -c .blob)

rkey=$(tid)
rec="{\"repo\":\"$alice_did\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"$rkey\",\"record\":{\"\$type\":\"app.bsky.feed.post\",\"text\":\"Hello from the smoke test\",\"createdAt\":\"$(now)\",\"langs\":[\"en\"],\"embed\":{\"\$type\":\"app.bsky.embed.images\",\"images\":[{\"alt\":\"one red pixel\",\"image\":$blob,\"aspectRatio\":{\"width\":1,\"height\":1}}]}}}"
r=$(call "$P/xrpc/com.atproto.repo.createRecord" -H "$J" "${HA[@]}" -d "$rec")
expect "$r" 200 "" "createRecord post rkey=$rkey"
uri=$(body "$r" | jq -r .uri); cid=$(body "$r" | jq -r .cid)
t_post=$(ms)
r=$(call "$P/xrpc/com.atproto.repo.createRecord" -H "$J" "${HA[@]}" -d "$rec")
ok "createRecord, same rkey again -> $(code "$r") $(body "$r" | jq -r .error)"
r=$(call "$P/xrpc/com.atproto.repo.createRecord" -H "$J" "${HA[@]}" -d "${rec/\"rkey\":\"$rkey\"/\"rkey\":\"herald-1\"}")
expect "$r" 400 InvalidRequest "createRecord post with a non-TID rkey"
r=$(call "$P/xrpc/com.atproto.repo.getRecord?repo=$alice_did&collection=app.bsky.feed.post&rkey=$rkey")
[ "$(body "$r" | jq -r .cid)" = "$cid" ] && ok "getRecord finds it by rkey (the way to tell a retry's duplicate)"

# The AppView indexes from the PDS's event stream; reply only once it knows the parent
# (a reply indexed before its parent gets no reply notification).
until [ "$(code "$(call "$P/xrpc/app.bsky.feed.getPostThread?uri=$uri" "${HB[@]}")")" = 200 ]; do
  [ $(($(ms) - t_post)) -lt 15000 ] || die "AppView did not index the post within 15 s"
  sleep 0.05
done
ok "AppView indexed the post after $(($(ms) - t_post)) ms"

r=$(call "$P/xrpc/com.atproto.repo.createRecord" -H "$J" "${HB[@]}" -d "{\"repo\":\"$bob_did\",\"collection\":\"app.bsky.feed.like\",\"record\":{\"\$type\":\"app.bsky.feed.like\",\"subject\":{\"uri\":\"$uri\",\"cid\":\"$cid\"},\"createdAt\":\"$(now)\"}}")
expect "$r" 200 "" "bob likes"
text="@alice-$sfx.test nice one"
mention_end=$((${#sfx} + 12)) # "@alice-" + suffix + ".test", in bytes (ASCII)
r=$(call "$P/xrpc/com.atproto.repo.createRecord" -H "$J" "${HB[@]}" -d "{\"repo\":\"$bob_did\",\"collection\":\"app.bsky.feed.post\",\"record\":{\"\$type\":\"app.bsky.feed.post\",\"text\":\"$text\",\"createdAt\":\"$(now)\",\"reply\":{\"root\":{\"uri\":\"$uri\",\"cid\":\"$cid\"},\"parent\":{\"uri\":\"$uri\",\"cid\":\"$cid\"}},\"facets\":[{\"index\":{\"byteStart\":0,\"byteEnd\":$mention_end},\"features\":[{\"\$type\":\"app.bsky.richtext.facet#mention\",\"did\":\"$alice_did\"}]}]}}")
expect "$r" 200 "" "bob replies with a mention facet"
t_act=$(ms)
# No atproto-proxy header: the PDS forwards app.bsky.* to its AppView itself.
until body "$(call "$P/xrpc/app.bsky.notification.listNotifications?limit=50" "${HA[@]}")" |
  jq -e '[.notifications[].reason] | contains(["like", "mention"])' >/dev/null; do
  [ $(($(ms) - t_act)) -lt 15000 ] || die "no like+mention notifications within 15 s"
  sleep 0.05
done
reasons=$(body "$(call "$P/xrpc/app.bsky.notification.listNotifications?limit=50" "${HA[@]}")" | jq -c '[.notifications[].reason]')
ok "listNotifications via the PDS: $reasons after $(($(ms) - t_act)) ms (a reply that mentions the parent's author is one 'mention')"
r=$(call "$P/xrpc/app.bsky.notification.listNotifications?limit=50" "${HA[@]}" -H "atproto-proxy: $HERALD_PEER_BSKY_APPVIEW_DID#bsky_appview")
expect "$r" 200 "" "listNotifications with atproto-proxy: $HERALD_PEER_BSKY_APPVIEW_DID#bsky_appview"
r=$(call "$P/xrpc/app.bsky.notification.listNotifications?limit=50" "${HA[@]}" -H "atproto-proxy: did:web:api.bsky.app#bsky_appview")
ok "listNotifications with bsky.social's proxy DID -> $(code "$r") $(body "$r" | jq -r .error)"

r=$(call "$P/xrpc/app.bsky.feed.getAuthorFeed?actor=alice-$sfx.test&limit=10" "${HA[@]}")
expect "$r" 200 "" "getAuthorFeed"
body "$r" | jq -e --arg u "$uri" '.feed[0].post | .uri == $u and .likeCount == 1 and .replyCount == 1 and .embed.images[0].alt == "one red pixel"' >/dev/null ||
  die "author feed lacks the post, its like, reply or image: $(body "$r")"
r=$(call "$P/xrpc/app.bsky.actor.getProfile?actor=$alice_did" "${HA[@]}")
expect "$r" 200 "" "getProfile (postsCount $(body "$r" | jq .postsCount))"

r=$(call -X POST "$P/xrpc/com.atproto.server.refreshSession" -H "Authorization: Bearer $ART")
expect "$r" 200 "" "refreshSession"
A2=$(body "$r" | jq -r .accessJwt)
r=$(call -X POST "$P/xrpc/com.atproto.server.refreshSession" -H "Authorization: Bearer $A2")
expect "$r" 400 InvalidToken "refreshSession with an access token"

del="{\"repo\":\"$alice_did\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"$rkey\"}"
r=$(call "$P/xrpc/com.atproto.repo.deleteRecord" -H "$J" "${HB[@]}" -d "$del")
expect "$r" 401 AuthenticationRequired "bob deletes alice's post"
r=$(call "$P/xrpc/com.atproto.repo.deleteRecord" -H "$J" -H "Authorization: Bearer $A2" -d "$del")
expect "$r" 200 "" "deleteRecord"
r=$(call "$P/xrpc/com.atproto.repo.deleteRecord" -H "$J" -H "Authorization: Bearer $A2" -d "$del")
expect "$r" 200 "" "deleteRecord again (idempotent)"

r=$(call "$P/xrpc/com.atproto.server.getSession" -H "Authorization: Bearer not-a-jwt")
expect "$r" 400 InvalidToken "garbage token"
r=$(call "$P/xrpc/com.atproto.repo.createRecord" -H "$J" -d '{}')
expect "$r" 401 AuthMissing "no token"
# An expired access token, signed with dev-env's fixed JWT secret ("jwt-secret").
b64() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
t=$(date +%s)
hdr=$(printf '{"typ":"at+jwt","alg":"HS256"}' | b64)
pay=$(printf '{"scope":"com.atproto.access","aud":"did:web:localhost","sub":"%s","iat":%d,"exp":%d}' "$alice_did" $((t - 7300)) $((t - 100)) | b64)
sig=$(printf '%s.%s' "$hdr" "$pay" | openssl dgst -sha256 -hmac jwt-secret -binary | b64)
r=$(call "$P/xrpc/app.bsky.notification.listNotifications" -H "Authorization: Bearer $hdr.$pay.$sig")
expect "$r" 400 ExpiredToken "expired access token"
echo "bluesky smoke: all passed"
