# Plan-only runs: what the module plans for each shape of input, and the
# inputs its validations refuse before any call to IMM.

# The endpoint and the keys come from the environment (IMM_ENDPOINT,
# ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET):
# scripts/terraform-test.sh points them at the emulator it starts.
provider "imm" {
  region = "cn-hangzhou"
}

variables {
  project_name = "media_library_plan"
}

run "without_a_bucket_the_library_has_no_binding" {
  command = plan

  assert {
    condition     = length(imm_binding.this) == 0
    error_message = "no oss_bucket should plan no imm_binding"
  }
  assert {
    condition     = output.binding_uri == null
    error_message = "binding_uri should be null without oss_bucket"
  }
  assert {
    condition     = imm_dataset.this.project_name == "media_library_plan" && output.dataset_name == "media"
    error_message = "the dataset should be media, in the module's project"
  }
  assert {
    condition     = imm_dataset.this.template_id == "Official:FaceManagement"
    error_message = "the default template should index faces"
  }
}

run "with_a_bucket_the_whole_bucket_is_bound" {
  command = plan

  variables {
    oss_bucket = "media-library-test"
  }

  assert {
    condition     = length(imm_binding.this) == 1
    error_message = "oss_bucket should plan one imm_binding"
  }
  assert {
    condition     = imm_binding.this[0].uri == "oss://media-library-test" && output.binding_uri == "oss://media-library-test"
    error_message = "the binding should cover oss://media-library-test, got ${imm_binding.this[0].uri}"
  }
}

run "a_bucket_given_as_a_uri_is_refused" {
  command = plan

  variables {
    oss_bucket = "oss://media-library-test/2025"
  }

  expect_failures = [var.oss_bucket]
}

run "a_project_name_starting_with_a_digit_is_refused" {
  command = plan

  variables {
    project_name = "2025_media"
  }

  expect_failures = [var.project_name]
}

run "max_files_out_of_range_is_refused" {
  command = plan

  variables {
    max_files = 0
  }

  expect_failures = [var.max_files]
}

run "a_reserved_tag_key_is_refused" {
  command = plan

  variables {
    tags = { "acs:owner" = "media" }
  }

  expect_failures = [var.tags]
}
