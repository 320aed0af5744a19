import {
  to = imm_binding.campaign_photos
  id = "media_library/campaign_2026/oss://campaign-photos-2026"
}
