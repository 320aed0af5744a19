import {
  to = imm_oss_bucket_attachment.campaign_photos
  id = "campaign-photos-2026"
}
