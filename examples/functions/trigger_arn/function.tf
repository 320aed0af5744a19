# A RAM policy that lets a pipeline create triggers in one project (IMM
# authorizes CreateTrigger on trigger/*) and manage one trigger it made.
output "trigger_policy" {
  value = jsonencode({
    Version = "1"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["imm:CreateTrigger"]
        Resource = provider::imm::trigger_arn("cn-hangzhou", "1234567890123456", "media_library", "*")
      },
      {
        Effect   = "Allow"
        Action   = ["imm:GetTrigger", "imm:SuspendTrigger", "imm:ResumeTrigger"]
        Resource = provider::imm::trigger_arn("cn-hangzhou", "1234567890123456", "media_library", "trigger-9f72636a-0f0c-4baf-ae78-38b27b000000")
      },
    ]
  })
}
