package provider

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

// IMM's RAM resource ARNs, as IMM's authorization tables write them
// (imm-api.md §6.1, §6.2, §11.2, §13.2):
//
//	acs:imm:{region}:{account}:project/{ProjectName}
//	acs:imm:{region}:{account}:project/{ProjectName}/dataset/{DatasetName}
//	acs:imm:{region}:{account}:project/{ProjectName}/trigger/{Id}
//
// A RAM policy may put "*" in any part; the functions accept it where a
// policy uses it (DECISIONS.md, 2026-11-30).

// immARN is the ARN of an IMM resource whose path inside the account is
// resourcePath, such as "project/media".
func immARN(region, accountID, resourcePath string) string {
	return "acs:imm:" + region + ":" + accountID + ":" + resourcePath
}

var (
	// accountIDPattern is an Alibaba Cloud account ID (UID): 16 digits.
	accountIDPattern = regexp.MustCompile(`^[0-9]{16}$`)
	// triggerIDPattern is a trigger's Id, such as trigger-9f72636a-0f0c-4baf-ae78-38b27b000000.
	triggerIDPattern = regexp.MustCompile(`^trigger-[A-Za-z0-9-]+$`)
)

// wholeWildcard is RAM's "every value" in one part of an ARN.
const wholeWildcard = "*"

// arnRegionCheck accepts a region ID, or "*".
var arnRegionCheck = stringCheck{"Invalid region", `must be a region ID such as cn-hangzhou, or "*" for every region`,
	func(s string) error {
		if s == wholeWildcard || regionPattern.MatchString(s) {
			return nil
		}
		return errRuleBroken
	}, false}

// arnAccountIDCheck accepts a 16-digit account ID, or "*".
var arnAccountIDCheck = stringCheck{"Invalid account ID", `must be a 16-digit Alibaba Cloud account ID, or "*" for every account`,
	func(s string) error {
		if s == wholeWildcard || accountIDPattern.MatchString(s) {
			return nil
		}
		return errRuleBroken
	}, false}

// arnNameCheck accepts a project or dataset name by IMM's name rule, in which
// each "*" stands for any characters (IMM's policy examples use
// project/imm-test-doc*).
var arnNameCheck = stringCheck{"Invalid name", nameRuleMessage + ` (1-128 characters), where "*" matches any characters`,
	func(s string) error {
		if s == "" || utf8.RuneCountInString(s) > 128 || !namePattern.MatchString(strings.ReplaceAll(s, wholeWildcard, "_")) {
			return errRuleBroken
		}
		return nil
	}, false}

// arnTriggerIDCheck accepts a trigger's Id, or "*" (CreateTrigger is
// authorized on project/{ProjectName}/trigger/*).
var arnTriggerIDCheck = stringCheck{"Invalid trigger ID", `must be a trigger's Id such as trigger-9f72636a-0f0c-4baf-ae78-38b27b000000, or "*" for every trigger of the project`,
	func(s string) error {
		if s == wholeWildcard || triggerIDPattern.MatchString(s) {
			return nil
		}
		return errRuleBroken
	}, false}

// The parameters every ARN function shares.

func arnRegionParameter() function.StringParameter {
	return function.StringParameter{Name: "region", Validators: []function.StringParameterValidator{arnRegionCheck},
		MarkdownDescription: "The region of the IMM project, such as `cn-hangzhou`, or `\"*\"` for every region."}
}

func arnAccountIDParameter() function.StringParameter {
	return function.StringParameter{Name: "account_id", Validators: []function.StringParameterValidator{arnAccountIDCheck},
		MarkdownDescription: "The ID of the Alibaba Cloud account that owns the project (16 digits), or `\"*\"` for every account."}
}

func arnNameParameter(name, what string) function.StringParameter {
	return function.StringParameter{Name: name, Validators: []function.StringParameterValidator{arnNameCheck},
		MarkdownDescription: "The name of the " + what + ". `*` matches any characters, as in RAM policies: `\"*\"` is every " + what +
			", `\"media-*\"` every " + what + " whose name starts with `media-`."}
}
