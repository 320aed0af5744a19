package emulator

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// This file verifies Alibaba Cloud request signatures, the two ways
// darabonba-openapi signs (imm-api.md §3.2 V3, §3.3 V2). The verifiers are
// pure functions of the request's parts and a key lookup, so they can be
// fuzzed without a server.

const v3Algorithm = "ACS3-HMAC-SHA256"

// signedIdentity is what a verified signature establishes.
type signedIdentity struct {
	AccessKeyId string
	Action      string
	Version     string
	// Date and Nonce are the request time and nonce the client signed, for
	// the freshness and replay checks the caller makes.
	Date  string
	Nonce string
}

// secretLookup returns the secret of a key, given the security token the
// request carries, or the error to answer (unknown key, bad token).
type secretLookup func(accessKeyID, securityToken string) (string, *apiError)

func incompleteSignature(format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, "IncompleteSignature",
		"The request signature does not conform to Aliyun standards: "+format, args...)
}

// v2SignatureMismatchPrefix starts the gateway's message for a V2 signature
// that does not match; the server's string to sign follows it directly.
// Alibaba's SDKs (alibaba-cloud-sdk-go, the Node clients) split the message
// at "server string to sign is:" and compare the rest with their own string
// to sign: equal means the secret is wrong, and they say so.
const v2SignatureMismatchPrefix = "Specified signature is not matched with our calculation. server string to sign is:"

func signatureMismatch(detail string) *apiError {
	return newAPIError(http.StatusBadRequest, "SignatureDoesNotMatch",
		"Specified signature does not match our calculation. %s", detail)
}

// v3Request is what the V3 verifier reads from an HTTP request.
type v3Request struct {
	Method string
	Path   string
	Host   string
	Header http.Header
	Query  map[string]string
	Body   []byte
}

// v3Authorization is the parsed Authorization header.
type v3Authorization struct {
	Credential    string
	SignedHeaders []string
	Signature     string
}

// parseV3Authorization splits "ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..".
func parseV3Authorization(h string) (v3Authorization, *apiError) {
	var a v3Authorization
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok {
		return a, incompleteSignature("the Authorization header must be %q followed by Credential, SignedHeaders and Signature.", v3Algorithm)
	}
	if alg != v3Algorithm {
		return a, incompleteSignature("the signature algorithm %q is not supported; use %s.", alg, v3Algorithm)
	}
	var signedHeaders string
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			a.Credential = v
		case "SignedHeaders":
			signedHeaders = v
		case "Signature":
			a.Signature = v
		}
	}
	if a.Credential == "" || signedHeaders == "" || a.Signature == "" {
		return a, incompleteSignature("the Authorization header lacks Credential, SignedHeaders or Signature.")
	}
	for _, name := range strings.Split(signedHeaders, ";") {
		if name == "" || name != strings.ToLower(name) {
			return a, incompleteSignature("SignedHeaders must be lower-case header names separated by semicolons.")
		}
		a.SignedHeaders = append(a.SignedHeaders, name)
	}
	return a, nil
}

// v3MustSign are the headers a V3 request must carry and sign: they name the
// operation, date the request and make it unique.
var v3MustSign = []string{"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"}

// verifyV3 checks an ACS3-HMAC-SHA256 request the way the gateway does,
// rebuilding the canonical request from the client's SignedHeaders.
func verifyV3(r v3Request, lookup secretLookup) (signedIdentity, *apiError) {
	var id signedIdentity
	auth, err := parseV3Authorization(r.Header.Get("Authorization"))
	if err != nil {
		return id, err
	}
	signed := map[string]bool{}
	for _, h := range auth.SignedHeaders {
		signed[h] = true
	}
	for _, h := range v3MustSign {
		if !signed[h] {
			return id, incompleteSignature("the header %s must be signed.", h)
		}
		if h != "host" && strings.TrimSpace(r.Header.Get(h)) == "" {
			return id, incompleteSignature("the header %s is missing.", h)
		}
	}
	id = signedIdentity{
		AccessKeyId: auth.Credential,
		Action:      r.Header.Get("x-acs-action"),
		Version:     r.Header.Get("x-acs-version"),
		Date:        r.Header.Get("x-acs-date"),
		Nonce:       r.Header.Get("x-acs-signature-nonce"),
	}
	secret, err := lookup(auth.Credential, r.Header.Get("x-acs-security-token"))
	if err != nil {
		return id, err
	}
	payloadHash := strings.TrimSpace(r.Header.Get("x-acs-content-sha256"))
	bodyHash := sha256.Sum256(r.Body)
	if !strings.EqualFold(payloadHash, hex.EncodeToString(bodyHash[:])) {
		return id, signatureMismatch("The x-acs-content-sha256 header is not the SHA-256 of the request body.")
	}
	canonical := v3CanonicalRequest(r, auth.SignedHeaders, payloadHash)
	digest := sha256.Sum256([]byte(canonical))
	stringToSign := v3Algorithm + "\n" + hex.EncodeToString(digest[:])
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	want := hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(auth.Signature))) {
		return id, signatureMismatch("server StringToSign is [" + stringToSign + "] server CanonicalRequest is [" + canonical + "]")
	}
	return id, nil
}

func v3CanonicalRequest(r v3Request, signedHeaders []string, payloadHash string) string {
	path := r.Path
	if path == "" {
		path = "/"
	}
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(rfc3986(path))
	b.WriteByte('\n')
	b.WriteString(v3CanonicalQuery(r.Query))
	b.WriteByte('\n')
	for _, h := range signedHeaders {
		b.WriteString(h)
		b.WriteByte(':')
		if h == "host" {
			b.WriteString(strings.TrimSpace(r.Host))
		} else {
			vals := r.Header.Values(h)
			trimmed := make([]string, len(vals))
			for i, v := range vals {
				trimmed[i] = strings.TrimSpace(v)
			}
			sort.Strings(trimmed)
			b.WriteString(strings.Join(trimmed, ","))
		}
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// v3CanonicalQuery sorts by key; keys are not escaped, values are
// QueryEscaped; then the whole string gets RFC 3986 escapes, exactly as the
// SDK builds it.
func v3CanonicalQuery(q map[string]string) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + url.QueryEscape(q[k])
	}
	return rfc3986(strings.Join(parts, "&"))
}

var rfc3986Replacer = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")

func rfc3986(s string) string { return rfc3986Replacer.Replace(s) }

// verifyV2 checks an RPC HMAC-SHA1 signature over every parameter (query and
// form body) but Signature.
func verifyV2(method string, merged map[string]string, lookup secretLookup) (signedIdentity, *apiError) {
	id := signedIdentity{
		AccessKeyId: merged["AccessKeyId"],
		Action:      merged["Action"],
		Version:     merged["Version"],
		Date:        merged["Timestamp"],
		Nonce:       merged["SignatureNonce"],
	}
	for _, name := range []string{"Signature", "AccessKeyId", "Timestamp", "SignatureNonce"} {
		if merged[name] == "" {
			return id, incompleteSignature("the parameter %s is missing.", name)
		}
	}
	if m := merged["SignatureMethod"]; m != "HMAC-SHA1" {
		return id, incompleteSignature("SignatureMethod must be HMAC-SHA1; got %q.", m)
	}
	if v := merged["SignatureVersion"]; v != "1.0" {
		return id, incompleteSignature("SignatureVersion must be 1.0; got %q.", v)
	}
	if t := merged["SignatureType"]; t != "" {
		return id, incompleteSignature("SignatureType %q is not supported.", t)
	}
	secret, err := lookup(id.AccessKeyId, merged["SecurityToken"])
	if err != nil {
		return id, err
	}
	stringToSign := v2StringToSign(method, merged)
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(merged["Signature"])) {
		return id, newAPIError(http.StatusBadRequest, "SignatureDoesNotMatch", "%s%s", v2SignatureMismatchPrefix, stringToSign)
	}
	return id, nil
}

func v2StringToSign(method string, merged map[string]string) string {
	values := url.Values{}
	for k, v := range merged {
		if k != "Signature" {
			values.Set(k, v)
		}
	}
	return method + "&%2F&" + url.QueryEscape(rfc3986(values.Encode()))
}
