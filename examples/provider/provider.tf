terraform {
  required_providers {
    imm = {
      source = "immlabs/imm"
    }
  }
}

# Credentials come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID and
# ALIBABA_CLOUD_ACCESS_KEY_SECRET, or any other source in the table below).
provider "imm" {
  region = "cn-hangzhou"

  # IMM's reads lag its writes by up to 5 minutes; within this window the
  # provider trusts what it wrote.
  consistency_window = "5m"

  # Tags every project, trigger and task the provider makes carries. A
  # resource's own tag of the same key wins; each resource shows its own
  # in tags and the whole set in tags_all.
  default_tags {
    tags = {
      owner       = "media-platform"
      cost_centre = "cc-1234"
      environment = "production"
    }
  }

  # Tags something else manages (here a FinOps tool): never shown as drift,
  # never removed when the provider updates a resource's tags.
  ignore_tags {
    keys         = ["last_scanned"]
    key_prefixes = ["finops:"]
  }
}

resource "imm_project" "media" {
  project_name = "media_library"
  # tags_all: owner, cost_centre, team, and environment = "staging".
  tags = {
    team        = "marketing"
    environment = "staging"
  }
}
