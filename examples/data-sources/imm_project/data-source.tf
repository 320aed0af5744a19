data "imm_project" "library" {
  project_name = "media_library"
}

output "library_limits" {
  value = {
    datasets     = data.imm_project.library.dataset_count
    max_datasets = data.imm_project.library.project_max_dataset_count
  }
}
