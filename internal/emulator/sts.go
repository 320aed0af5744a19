package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// This file is the STS side: AssumeRole (2015-04-01) and the temporary
// credentials it issues, which the emulator then accepts until they expire.

const (
	stsVersion              = "2015-04-01"
	minAssumeRoleDuration   = 900
	maxAssumeRoleDuration   = 43200
	maxChainedRoleDuration  = 3600
	defaultAssumeRoleDurSec = 3600
	stsExpirationFormat     = "2006-01-02T15:04:05Z"
	maxPolicyBytes          = 2048
)

// stsCredential is an issued temporary credential.
type stsCredential struct {
	AccessKeyId     string
	AccessKeySecret string
	SecurityToken   string
	Expiration      time.Time
	RoleArn         string
	SessionName     string
}

var (
	roleArnPattern     = regexp.MustCompile(`^acs:ram::(\d{1,32}):role/([A-Za-z0-9._-]{1,64})$`)
	sessionNamePattern = regexp.MustCompile(`^[A-Za-z0-9.@_-]{2,64}$`)
)

type assumeRoleRequest struct {
	RoleArn         string
	AccountID       string
	RoleName        string
	RoleSessionName string
	DurationSeconds int64
}

func stsError(status int, code, format string, args ...any) *apiError {
	return newAPIError(status, code, format, args...)
}

// decodeAssumeRole reads AssumeRole's parameters with STS's own error codes.
func decodeAssumeRole(m map[string]string, chained bool) (assumeRoleRequest, *apiError) {
	req := assumeRoleRequest{RoleArn: m["RoleArn"], RoleSessionName: m["RoleSessionName"], DurationSeconds: defaultAssumeRoleDurSec}
	if req.RoleArn == "" {
		return req, stsError(http.StatusBadRequest, "MissingRoleArn", "RoleArn is mandatory for this action.")
	}
	match := roleArnPattern.FindStringSubmatch(req.RoleArn)
	if match == nil {
		return req, stsError(http.StatusBadRequest, "InvalidParameter.RoleArn", "The parameter RoleArn %q is not a role ARN of the form acs:ram::<account id>:role/<role name>.", req.RoleArn)
	}
	req.AccountID, req.RoleName = match[1], match[2]
	if req.RoleSessionName == "" {
		return req, stsError(http.StatusBadRequest, "MissingRoleSessionName", "RoleSessionName is mandatory for this action.")
	}
	if !sessionNamePattern.MatchString(req.RoleSessionName) {
		return req, stsError(http.StatusBadRequest, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName must be 2 to 64 characters of letters, digits, periods (.), at signs (@), hyphens (-) and underscores (_).")
	}
	maxDuration := int64(maxAssumeRoleDuration)
	if chained {
		maxDuration = maxChainedRoleDuration
	}
	if s := m["DurationSeconds"]; s != "" {
		p := newParams(map[string]string{"DurationSeconds": s})
		d := p.optionalInt("DurationSeconds", minAssumeRoleDuration, maxDuration)
		if p.err != nil {
			return req, stsError(http.StatusBadRequest, "InvalidParameter.DurationSeconds", "%s", p.err.Message)
		}
		req.DurationSeconds = *d
	}
	if policy := m["Policy"]; policy != "" {
		var doc map[string]any
		if len(policy) > maxPolicyBytes || json.Unmarshal([]byte(policy), &doc) != nil {
			return req, stsError(http.StatusBadRequest, "InvalidParameter.PolicyGrammar", "The parameter Policy must be a JSON policy document of at most %d bytes.", maxPolicyBytes)
		}
	}
	return req, nil
}

type assumeRoleResponse struct {
	AssumedRoleUser struct {
		Arn           string
		AssumedRoleId string
	}
	Credentials struct {
		AccessKeyId     string
		AccessKeySecret string
		SecurityToken   string
		Expiration      string
	}
}

// roleAllowed applies Options.Roles: empty allows any well-formed ARN; role
// ARNs compare case-insensitively, as RAM role names do.
func roleAllowed(roles []string, arn string) bool {
	if len(roles) == 0 {
		return true
	}
	for _, r := range roles {
		if strings.EqualFold(r, arn) {
			return true
		}
	}
	return false
}

// issueCredential makes a fresh temporary credential for a role session.
func issueCredential(req assumeRoleRequest, now time.Time) stsCredential {
	return stsCredential{
		AccessKeyId:     "STS." + randomText(24),
		AccessKeySecret: randomText(40),
		SecurityToken:   "CAIS" + randomToken(96),
		Expiration:      now.Add(time.Duration(req.DurationSeconds) * time.Second).UTC().Truncate(time.Second),
		RoleArn:         req.RoleArn,
		SessionName:     req.RoleSessionName,
	}
}

func assumeRoleAnswer(req assumeRoleRequest, c stsCredential) assumeRoleResponse {
	var out assumeRoleResponse
	out.AssumedRoleUser.Arn = "acs:ram::" + req.AccountID + ":assumed-role/" + req.RoleName + "/" + req.RoleSessionName
	out.AssumedRoleUser.AssumedRoleId = randomDigits(18) + ":" + req.RoleSessionName
	out.Credentials.AccessKeyId = c.AccessKeyId
	out.Credentials.AccessKeySecret = c.AccessKeySecret
	out.Credentials.SecurityToken = c.SecurityToken
	out.Credentials.Expiration = c.Expiration.Format(stsExpirationFormat)
	return out
}

const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomText draws from crypto/rand: credentials must not be guessable even
// in an emulator that someone exposes by mistake.
func randomText(n int) string {
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphanumeric))))
		b[i] = alphanumeric[k.Int64()]
	}
	return string(b)
}

func randomDigits(n int) string {
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(10))
		b[i] = byte('0' + k.Int64())
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// keyring holds the one long-term key pair and the issued temporary
// ones. It is guarded by the Emulator's lock.
type keyring struct {
	accessKeyID     string
	accessKeySecret string
	temporary       map[string]stsCredential // by AccessKeyId
	byToken         map[string]string        // SecurityToken -> AccessKeyId
}

func newKeyring(id, secret string) *keyring {
	c := &keyring{accessKeyID: id, accessKeySecret: secret}
	c.reset()
	return c
}

func (c *keyring) reset() {
	c.temporary = map[string]stsCredential{}
	c.byToken = map[string]string{}
}

func (c *keyring) add(cred stsCredential) {
	c.temporary[cred.AccessKeyId] = cred
	c.byToken[cred.SecurityToken] = cred.AccessKeyId
}

func invalidToken(code, message string) *apiError {
	return newAPIError(http.StatusBadRequest, code, "%s", message)
}

// secret finds the secret of a key and checks the security token that
// came with it against the emulator's clock.
func (c *keyring) secret(accessKeyID, token string, now time.Time) (string, bool, *apiError) {
	if accessKeyID == c.accessKeyID {
		if token != "" {
			return "", false, invalidToken("InvalidSecurityToken.MismatchWithAccessKey", "The security token does not belong to the access key; a long-term access key is used without a security token.")
		}
		return c.accessKeySecret, false, nil
	}
	cred, ok := c.temporary[accessKeyID]
	if !ok {
		return "", false, newAPIError(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
	}
	switch {
	case token == "":
		return "", true, invalidToken("InvalidSecurityToken.Malformed", "The temporary access key needs its security token (header x-acs-security-token, or parameter SecurityToken).")
	case token == cred.SecurityToken:
	case c.byToken[token] != "":
		return "", true, invalidToken("InvalidSecurityToken.MismatchWithAccessKey", "The security token does not belong to the access key.")
	default:
		return "", true, invalidToken("InvalidSecurityToken.Malformed", "The security token is malformed or unknown.")
	}
	if !now.Before(cred.Expiration) {
		return "", true, invalidToken("InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
	}
	return cred.AccessKeySecret, true, nil
}

func (c *keyring) all() []stsCredential {
	out := make([]stsCredential, 0, len(c.temporary))
	for _, k := range sortedKeysOf(c.temporary) {
		out = append(out, c.temporary[k])
	}
	return out
}

func sortedKeysOf[V any](m map[string]V) []string {
	set := make(map[string]bool, len(m))
	for k := range m {
		set[k] = true
	}
	return sortedKeys(set)
}
