package credentials

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The documented forms of the settings. The provider's schema applies the
// same rules at plan time; Resolve applies them again (and to the OIDC
// environment variables) before anything is sent, so that a malformed value
// never costs a request. Sources:
//   - STS AssumeRole and AssumeRoleWithOIDC (2015-04-01): RoleArn is
//     acs:ram::<account id>:role/<role name>; RoleSessionName 2-64 letters,
//     digits and . @ - _; ExternalId 2-1224 characters of [\w+=,.@:/-];
//     Policy 1-2048 characters; DurationSeconds from 900 to the role's
//     MaxSessionDuration, which RAM's CreateRole bounds by 43200.
//   - RAM CreateRole: RoleName 1-64 letters, digits, periods and hyphens.
//   - RAM CreateOIDCProvider (and ROS ALIYUN::RAM::OIDCProvider): the
//     provider's name is at most 128 letters, digits, periods, hyphens and
//     underscores, starting and ending with a letter or a digit; its ARN is
//     acs:ram::<account id>:oidc-provider/<name>.
//   - credentials-go: the STS endpoint is a host (it always speaks HTTPS);
//     a credentials URI is an http or https URL.

// Rule is the documented form of a setting.
type Rule struct {
	Summary     string // the kind of value, for a summary: "Invalid role ARN"
	Description string // completes "<setting> ...": "must be ..."
	Secret      bool   // the value may hold a token (a URL's query): never show it
	valid       func(string) bool
}

// Valid reports whether s has the rule's form.
func (r Rule) Valid(s string) bool { return r.valid(s) }

const roleNameForm = `[A-Za-z0-9.-]{1,64}`

var (
	roleARNPattern         = regexp.MustCompile(`^acs:ram::[0-9]+:role/` + roleNameForm + `$`)
	roleNamePattern        = regexp.MustCompile(`^` + roleNameForm + `$`)
	oidcProviderARNPattern = regexp.MustCompile(`^acs:ram::[0-9]+:oidc-provider/[A-Za-z0-9]([A-Za-z0-9._-]{0,126}[A-Za-z0-9])?$`)
	sessionNamePattern     = regexp.MustCompile(`^[A-Za-z0-9.@_-]{2,64}$`)
	externalIDPattern      = regexp.MustCompile(`^[A-Za-z0-9_+=,.@:/-]*$`)
)

// maxPolicyLength is STS's limit on Policy, in characters.
const maxPolicyLength = 2048

// The rules.
var (
	RoleARN = Rule{Summary: "Invalid role ARN",
		Description: "must be a RAM role ARN, acs:ram::<account id>:role/<role name>, the role name 1-64 letters, " +
			"digits, periods (.) or hyphens (-)",
		valid: roleARNPattern.MatchString}
	OIDCProviderARN = Rule{Summary: "Invalid OIDC provider ARN",
		Description: "must be a RAM OIDC provider ARN, acs:ram::<account id>:oidc-provider/<name>, the name 1-128 " +
			"letters, digits, periods (.), hyphens (-) or underscores (_), starting and ending with a letter or a digit",
		valid: oidcProviderARNPattern.MatchString}
	RoleName = Rule{Summary: "Invalid role name",
		Description: "must be a RAM role name: 1-64 letters, digits, periods (.) or hyphens (-)",
		valid:       roleNamePattern.MatchString}
	RoleSessionName = Rule{Summary: "Invalid role session name",
		Description: "must be 2-64 letters, digits, periods (.), at signs (@), hyphens (-) or underscores (_)",
		valid:       sessionNamePattern.MatchString}
	ExternalID = Rule{Summary: "Invalid external ID",
		Description: "must be 2-1224 letters, digits, underscores (_) or characters among + = , . @ : / -",
		valid:       validExternalID}
	Policy = Rule{Summary: "Invalid policy",
		Description: "must be a JSON object of at most 2048 characters, such as a RAM policy document built with jsonencode()",
		valid:       validPolicy}
	STSEndpoint = Rule{Summary: "Invalid STS endpoint",
		Description: "must be host[:port] or https://host[:port], with no path",
		valid:       validSTSEndpoint}
	CredentialsURI = Rule{Summary: "Invalid URL",
		Description: "must be an http:// or https:// URL",
		Secret:      true,
		valid:       validURL}
	sessionExpiration = Rule{Summary: "Invalid session expiration",
		Description: "must be between " + strconv.Itoa(MinSessionExpiration) + " and " + strconv.Itoa(MaxSessionExpiration) + " seconds",
		valid:       validSessionExpiration}
)

func validExternalID(s string) bool {
	return len(s) >= 2 && len(s) <= 1224 && externalIDPattern.MatchString(s)
}

func validPolicy(s string) bool {
	var doc map[string]any
	return utf8.RuneCountInString(s) <= maxPolicyLength && json.Unmarshal([]byte(s), &doc) == nil
}

func validSTSEndpoint(raw string) bool {
	s := strings.TrimSpace(raw)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && (u.Path == "" || u.Path == "/") && u.RawQuery == "" && u.User == nil
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func validSessionExpiration(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= MinSessionExpiration && n <= MaxSessionExpiration
}

// settingValue is one setting to check.
type settingValue struct {
	setting, value string
	rule           Rule
	required       bool // checked even when empty
}

// Check applies the rules to every setting that is set (and to the required
// settings of a block that is), in the order of the provider's arguments, and
// returns the first *SettingError.
func (s Settings) Check() error {
	values := []settingValue{
		{setting: "ecs_role_name", value: s.ECSRoleName, rule: RoleName},
		{setting: "credentials_uri", value: s.CredentialsURI, rule: CredentialsURI},
	}
	if o := s.AssumeRoleWithOIDC; o != nil {
		values = append(values,
			settingValue{setting: "assume_role_with_oidc.role_arn", value: o.RoleARN, rule: RoleARN, required: true},
			settingValue{setting: "assume_role_with_oidc.oidc_provider_arn", value: o.OIDCProviderARN, rule: OIDCProviderARN, required: true})
		values = append(values, sessionValues("assume_role_with_oidc", o.SessionName, o.SessionExpiration, o.Policy, o.STSEndpoint)...)
	}
	if r := s.AssumeRole; r != nil {
		values = append(values,
			settingValue{setting: "assume_role.role_arn", value: r.RoleARN, rule: RoleARN, required: true},
			settingValue{setting: "assume_role.external_id", value: r.ExternalID, rule: ExternalID})
		values = append(values, sessionValues("assume_role", r.SessionName, r.SessionExpiration, r.Policy, r.STSEndpoint)...)
	}
	for _, v := range values {
		if (v.value != "" || v.required) && !v.rule.Valid(v.value) {
			e := &SettingError{Setting: v.setting, Value: v.value, Rule: v.rule}
			if v.rule.Secret {
				e.Value = ""
			}
			return e
		}
	}
	return nil
}

// sessionValues are the settings both role blocks share.
func sessionValues(block, sessionName string, expiration int, policy, endpoint string) []settingValue {
	seconds := ""
	if expiration != 0 {
		seconds = strconv.Itoa(expiration)
	}
	return []settingValue{
		{setting: block + ".session_name", value: sessionName, rule: RoleSessionName},
		{setting: block + ".session_expiration", value: seconds, rule: sessionExpiration},
		{setting: block + ".policy", value: policy, rule: Policy},
		{setting: block + ".sts_endpoint", value: endpoint, rule: STSEndpoint},
	}
}
