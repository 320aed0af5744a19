# Apply runs against the local IMM emulator, one after the other on the same
# state: create the library with its binding, see the bucket indexed, change
# it in place, drop the binding. `terraform test` destroys what is left at the
# end (force_destroy, since the dataset still holds the indexed files).
# scripts/terraform-test.sh starts the emulator with the objects of
# tests/photos.json in the fake OSS bucket media-library-test.

# The endpoint and the keys come from the environment (IMM_ENDPOINT,
# ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET):
# scripts/terraform-test.sh points them at the emulator it starts.
provider "imm" {
  region = "cn-hangzhou"
}

variables {
  project_name  = "media_library_apply"
  oss_bucket    = "media-library-test"
  description   = "Team photos"
  force_destroy = true
  tags = {
    team = "media"
    env  = "test"
  }
}

run "creates_the_library_and_indexes_the_bucket" {
  assert {
    condition     = output.project_name == "media_library_apply" && output.dataset_id == "media_library_apply/media"
    error_message = "unexpected project or dataset: ${output.project_name}, ${output.dataset_id}"
  }
  assert {
    condition     = imm_project.this.tags == tomap({ team = "media", env = "test" })
    error_message = "the project's tags should be exactly the module's tags"
  }
  assert {
    condition     = imm_project.this.create_time != "" && imm_dataset.this.create_time != ""
    error_message = "IMM should have reported when the project and the dataset were created"
  }
  assert {
    condition     = imm_binding.this[0].state == "Running"
    error_message = "the binding should be Running, is ${imm_binding.this[0].state} (${imm_binding.this[0].reason})"
  }
  assert {
    condition     = output.binding_phase == "IncrementalScanning"
    error_message = "apply should return once the bucket's objects are indexed (IncrementalScanning), got ${output.binding_phase}"
  }
}

run "every_object_of_the_bucket_is_in_the_dataset" {
  command = plan

  assert {
    condition     = imm_dataset.this.file_count == 3
    error_message = "the dataset should hold the bucket's 3 objects, holds ${imm_dataset.this.file_count}"
  }
  assert {
    condition     = imm_dataset.this.bind_count == 1
    error_message = "the dataset should have 1 binding, has ${imm_dataset.this.bind_count}"
  }
}

run "a_new_description_updates_in_place" {
  variables {
    description = "Team photos, 2025"
  }

  assert {
    condition     = imm_project.this.description == "Team photos, 2025" && imm_dataset.this.description == "Team photos, 2025"
    error_message = "the project's and the dataset's description should both be updated"
  }
  assert {
    condition     = imm_dataset.this.create_time == run.creates_the_library_and_indexes_the_bucket.dataset_create_time
    error_message = "a new description should not replace the dataset"
  }
}

run "without_the_bucket_only_the_binding_goes" {
  variables {
    description = "Team photos, 2025"
    oss_bucket  = null
  }

  assert {
    condition     = length(imm_binding.this) == 0 && output.binding_uri == null
    error_message = "the binding should be gone"
  }
  assert {
    condition     = output.dataset_id == run.creates_the_library_and_indexes_the_bucket.dataset_id
    error_message = "the dataset should stay"
  }
}
