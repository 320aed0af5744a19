data "imm_figure_cluster" "ceo" {
  project_name = "media_library"
  dataset_name = "campaign_2026"
  object_id    = "Cluster-7bdbcedb-e72a-4d6c-a00e-3a40a0a0a1b2"
}

output "ceo_photos" {
  value = data.imm_figure_cluster.ceo.image_count
}
