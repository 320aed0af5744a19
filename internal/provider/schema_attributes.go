package provider

import (
	"fmt"
	"math"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The schema attributes and validators that several resources share, and the
// notes that describe how their arguments behave.

// An attribute's description has two parts: what the value is, then, for an
// argument, notes on how it behaves. A data source derived from the resource
// shows only the first part (computedAttributes drops every note), so each
// note is one of these constants and nothing else in a description.
type argumentNote string

const (
	keepsValueWhenRemoved argumentNote = "Optional; when left out, IMM's default applies, and removing it from the " +
		"configuration later leaves the current value in place (IMM has no way to unset it)."
	keepsAdoptedValue argumentNote = "Optional; when left out, the cluster's current value is kept, and removing it " +
		"later leaves the value in place."
	replacesProject    argumentNote = "Changing it replaces the project."
	replacesDataset    argumentNote = "Changing it replaces the dataset."
	replacesRun        argumentNote = "Changing it runs the clustering again."
	replacesBinding    argumentNote = "Changing it replaces the binding (IMM has no update for bindings)."
	replacesAttachment argumentNote = "Changing it replaces the attachment: the bucket is detached, then attached " +
		"again (IMM has no update for attachments)."
	adoptsAnotherCluster argumentNote = "Changing it adopts another cluster."
	sendsWholeTagSet     argumentNote = "A change sends the whole set, with the default tags and the ignored tags IMM " +
		"holds; removing the argument removes every other tag."
	overDefaultTags argumentNote = "The provider's `default_tags` are added to these (a tag here wins over a default " +
		"one of the same key); `tags_all` shows the whole set."
	overDefaultTagsCounted argumentNote = "The provider's `default_tags` are added to these and count toward the 20 (a " +
		"tag here wins over a default one of the same key); `tags_all` shows the whole set."
	sendsWholeLabelMap argumentNote = "A change sends the whole desired map; `{}` removes every label."
	replacesTrigger    argumentNote = "Changing it replaces the trigger (IMM cannot update it)."
	updatesTrigger     argumentNote = "A change is an `UpdateTrigger` call; the provider suspends a running trigger " +
		"around it."
	suspendsTrigger argumentNote = "A change is a `SuspendTrigger` or `ResumeTrigger` call."
)

// argumentNotes are every note; computedAttributes drops each of them.
var argumentNotes = []argumentNote{keepsValueWhenRemoved, keepsAdoptedValue, replacesProject, replacesDataset,
	replacesRun, replacesBinding, replacesAttachment, adoptsAnotherCluster, sendsWholeTagSet, sendsWholeLabelMap,
	replacesTrigger, updatesTrigger, suspendsTrigger, overDefaultTags, overDefaultTagsCounted}

// describe is an attribute's description: what the value is, then the notes
// on how the argument behaves.
func describe(what string, notes ...argumentNote) string {
	parts := []string{what}
	for _, n := range notes {
		parts = append(parts, string(n))
	}
	return strings.Join(parts, " ")
}

// withoutNotes is a description with its argument notes dropped: what the
// value is.
func withoutNotes(description string) string {
	for trimmed := true; trimmed; {
		trimmed = false
		for _, n := range argumentNotes {
			if s, ok := strings.CutSuffix(description, " "+string(n)); ok {
				description, trimmed = s, true
			}
		}
	}
	return description
}

// maxInt64 is the largest limit IMM takes.
const maxInt64 = math.MaxInt64

// limitAttribute is one of the numeric limits projects and datasets share:
// each is at least 1 and at most hi.
func limitAttribute(what string, hi, immDefault int64) schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: describe(fmt.Sprintf("%s, 1 to %d. IMM's default is %d.", what, hi, immDefault), keepsValueWhenRemoved),
		Optional:            true,
		Computed:            true,
		PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
		Validators:          []validator.Int64{int64validator.Between(1, hi)},
	}
}

// countAttribute is a computed count that IMM keeps.
func countAttribute(description string) schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: description,
		Computed:            true,
		PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
	}
}

// ageAttribute is an age IMM estimates for a face cluster.
func ageAttribute(description string) schema.Float64Attribute {
	return schema.Float64Attribute{
		MarkdownDescription: description,
		Computed:            true,
		PlanModifiers:       []planmodifier.Float64{float64planmodifier.UseStateForUnknown()},
	}
}

// nameValidators apply IMM's project and dataset name rule.
func nameValidators() []validator.String {
	return []validator.String{
		stringvalidator.UTF8LengthBetween(1, 128),
		stringvalidator.RegexMatches(namePattern, nameRuleMessage),
	}
}

// tagValidators apply Alibaba Cloud's general tag rules (DECISIONS.md).
func tagValidators() []validator.Map {
	return []validator.Map{
		mapvalidator.SizeAtMost(20),
		mapvalidator.KeysAre(stringvalidator.UTF8LengthBetween(1, 128), tagTextValidator),
		mapvalidator.ValueStringsAre(stringvalidator.UTF8LengthAtMost(128), tagTextValidator),
	}
}

// computedString is a string attribute that IMM sets and no argument
// changes: planned as the value in state once known.
func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}
