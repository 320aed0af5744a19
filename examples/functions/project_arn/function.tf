# A RAM policy that lets a team manage one IMM project, and read every project
# whose name starts with "archive-", in any region.
output "media_readers_policy" {
  value = jsonencode({
    Version = "1"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["imm:CreateProject", "imm:GetProject", "imm:UpdateProject", "imm:DeleteProject"]
        Resource = provider::imm::project_arn("cn-hangzhou", "1234567890123456", "media_library")
      },
      {
        Effect   = "Allow"
        Action   = ["imm:GetProject"]
        Resource = provider::imm::project_arn("*", "1234567890123456", "archive-*")
      },
    ]
  })
}
