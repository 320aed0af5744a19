# Find every binding of one dataset, with the whole object of each.
list "imm_binding" "library" {
  provider         = imm
  include_resource = true

  config {
    project_name = "media_library"
    dataset_name = "family_photos"
  }
}
