# Every binding of the project; set dataset_name for one dataset's.
data "imm_bindings" "all" {
  project_name = "media_library"
}

output "bound_buckets" {
  value = { for b in data.imm_bindings.all.bindings : b.id => b.phase }
}
