# Find every dataset of a project.
list "imm_dataset" "library" {
  provider = imm

  config {
    project_name = "media_library"
  }
}
