# A RAM policy for a job that clusters the faces of one dataset and names the
# clusters.
output "face_clustering_policy" {
  value = jsonencode({
    Version = "1"
    Statement = [{
      Effect = "Allow"
      Action = [
        "imm:CreateFigureClusteringTask",
        "imm:QueryFigureClusters",
        "imm:UpdateFigureCluster",
      ]
      Resource = provider::imm::dataset_arn("cn-hangzhou", "1234567890123456", "media_library", "campaign_2026")
    }]
  })
}
