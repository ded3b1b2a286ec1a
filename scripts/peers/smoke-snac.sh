#!/usr/bin/env bash
# Exercises the running snac peer the way Herald's Mastodon connector does, with curl, and
# fails on the first surprise. Needs `snac.sh start` first. Usage: smoke-snac.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/peers/lib.sh
. "$HERE/lib.sh"
[ -f "$STATE/snac.env" ] || die "no $STATE/snac.env: run scripts/peers/snac.sh start first"
set -a
# shellcheck disable=SC1091
. "$STATE/snac.env"
set +a
B=$HERALD_PEER_SNAC_URL
REDIR=http://127.0.0.1:9/callback
ok() { printf 'ok   %s\n' "$*"; }
# status METHOD URL [curl args...]: prints the HTTP status only.
status() { local m=$1 u=$2; shift 2; curl -s -o /dev/null -w '%{http_code}' -X "$m" "$u" "$@"; }
expect() { [ "$1" = "$2" ] || die "$3: expected $2, got $1"; ok "$3 -> $1"; }

# OAuth, as a browser would: register, show the form, post it, follow the 303, exchange the code.
login() {
  local user=$1 pw=$2 app cid csec form code
  app=$(curl -sf "$B/api/v1/apps" -d client_name=herald-smoke --data-urlencode "redirect_uris=$REDIR" -d 'scopes=read write')
  cid=$(jq -r .client_id <<<"$app"); csec=$(jq -r .client_secret <<<"$app")
  form=$(curl -sf "$B/oauth/authorize?response_type=code&client_id=$cid&redirect_uri=$REDIR&scope=read+write&state=s1")
  grep -q 'name="passwd"' <<<"$form" || die "authorize form has no passwd field"
  code=$(curl -s -o /dev/null -w '%{redirect_url}' "$B/oauth/x-snac-login" --data-urlencode "login=$user" \
    --data-urlencode "passwd=$pw" --data-urlencode "redir=$REDIR" -d "cid=$cid" -d state=s1 | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
  [ -n "$code" ] || die "login of $user gave no code"
  curl -sf "$B/oauth/token" -d grant_type=authorization_code -d "code=$code" -d "client_id=$cid" \
    -d "client_secret=$csec" --data-urlencode "redirect_uri=$REDIR" | jq -er .access_token
}
A=$(login alice "$HERALD_PEER_SNAC_ALICE_PASSWORD"); ok "alice token"
BOB=$(login bob "$HERALD_PEER_SNAC_BOB_PASSWORD"); ok "bob token"
HA=(-H "Authorization: Bearer $A"); HB=(-H "Authorization: Bearer $BOB")

AID=$(curl -sf "$B/api/v1/accounts/verify_credentials" "${HA[@]}" | jq -er 'select(.username=="alice") | .id'); ok "verify_credentials alice id=$AID"
PNG=$(mktemp --suffix=.png); trap 'rm -f "$PNG"' EXIT
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\10\2\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\3\1\1\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82' >"$PNG"
MID=$(curl -sf "$B/api/v2/media" "${HA[@]}" -F "file=@$PNG;type=image/png" -F 'description=one red pixel' | jq -er 'select(.description=="one red pixel") | .id'); ok "media id=$MID"
S=$(curl -sf "$B/api/v1/statuses" "${HA[@]}" -H 'Idempotency-Key: smoke-1' -d 'status=Hello from the smoke test' -d "media_ids[]=$MID")
SID=$(jq -er .id <<<"$S"); [ "$(jq '.media_attachments | length' <<<"$S")" = 1 ] || die "status lost its media"; ok "status id=$SID with media"
S2=$(curl -sf "$B/api/v1/statuses" "${HA[@]}" -H 'Idempotency-Key: smoke-1' -d 'status=Hello from the smoke test' | jq -er .id)
if [ "$S2" != "$SID" ]; then ok "Idempotency-Key ignored: repeat made a second status ($S2)"; else ok "Idempotency-Key honoured"; fi
curl -sf "$B/api/v1/accounts/$AID/statuses" "${HA[@]}" | jq -e --arg id "$SID" 'any(.[]; .id == $id)' >/dev/null; ok "account statuses list the status"

NB=$(curl -sf "$B/api/v1/notifications?limit=40" "${HA[@]}" | jq length)
R=$(curl -sf "$B/api/v1/statuses" "${HB[@]}" -d 'status=@alice replying' -d "in_reply_to_id=$SID" | jq -er --arg id "$SID" 'select(.in_reply_to_id == $id) | .id'); ok "bob's reply id=$R"
curl -sf -X POST "$B/api/v1/statuses/$SID/favourite" "${HB[@]}" | jq -e '.favourited' >/dev/null; ok "bob favourited"
t0=$SECONDS
until [ "$(curl -sf "$B/api/v1/notifications?limit=40" "${HA[@]}" | jq length)" -ge $((NB + 2)) ]; do
  [ $((SECONDS - t0)) -lt 40 ] || die "alice got no mention+favourite notifications within 40 s"
  sleep 0.5
done
ok "alice notified (mention, favourite) after ~$((SECONDS - t0)) s: $(curl -sf "$B/api/v1/notifications?limit=40" "${HA[@]}" | jq -c '[.[].type]')"

expect "$(status DELETE "$B/api/v1/statuses/$S2" "${HB[@]}")" 404 "bob deletes alice's status"
expect "$(status DELETE "$B/api/v1/statuses/$S2" "${HA[@]}")" 200 "alice deletes her status"
expect "$(status DELETE "$B/api/v1/statuses/$S2" "${HA[@]}")" 404 "delete again"
expect "$(status GET "$B/api/v1/accounts/verify_credentials" -H 'Authorization: Bearer nope')" 422 "verify_credentials, bad token"
expect "$(status POST "$B/api/v1/statuses" -H 'Authorization: Bearer nope' -d status=x)" 401 "post status, bad token"
expect "$(status GET "$B/api/v2/instance")" 404 "/api/v2/instance"
echo "snac smoke: all passed"
