## 客服表单（/support）、访客的确认链接、对话，以及设置中的工单（/settings/support）。

footer-support = 客服支持
settings-nav-support = 客服支持

support-title = 客服支持
support-heading = 联系客服
support-lead-signed-in = 告诉我们遇到了什么问题或需要什么帮助。我们会通过邮件和你的账户答复，你可以在账户中查看完整对话。
support-lead-visitor = 告诉我们遇到了什么问题或需要什么帮助。我们会先给你发送一封邮件，请点击其中的链接确认邮箱地址；确认后客服团队才会看到你的留言，并通过邮件答复。
support-your-tickets = 你之前发给客服的留言
support-topic = 主题
support-topic-choose = 请选择主题
support-topic-hint = 如需获取、更正或删除你的个人数据，使用隐私请求表单会更快。
support-topic-account = 我的账户
support-topic-billing = 账单与点数
support-topic-generation = 图像生成
support-topic-privacy = 隐私请求
support-topic-other = 其他问题
support-email-hint = 我们会将确认链接和答复发送到这个地址。
support-email-signed-in-hint = 你账户的邮箱地址：我们会在这里以及你的设置页面中答复。
support-message = 留言内容
support-screenshot = 截图
support-screenshot-hint = PNG、JPEG 或 WebP 格式，最大 5 MB。保存前我们会移除相机信息和位置数据。
support-screenshot-alt = 随此留言发送的截图
support-submit = 发送留言
support-privacy-heading = 有关你个人数据的请求？
support-privacy-body = 如需查看、更正、删除或导出你的个人数据，或反对我们对数据的使用，请提交权利请求：它有专门的表单和法定答复期限。
support-privacy-link = 改为提交隐私请求

support-notice-check-inbox = 还差一步：请查看收件箱，点击我们发送的链接确认你的留言。
support-notice-opened = 谢谢，你的留言已转交客服团队。我们会在这里并通过邮件答复你。
support-notice-confirmed = 谢谢，你的留言已确认并转交客服团队。请保存此页面地址，以便之后回到对话。
support-notice-replied = 你的回复已发送。

support-error-topic = 请选择留言的主题。
support-error-message-missing = 请填写留言内容。
support-error-message-long = 留言过长：最多 { $max } 个字符。
support-error-screenshot-too-large = 截图过大：最大 { $max_mb } MB。
support-error-screenshot-pixels = 截图的像素尺寸过大，请换一张较小的截图。
support-error-screenshot-format = 截图必须是 PNG、JPEG 或 WebP 格式的图片。
support-error-screenshot-corrupt = 无法读取该截图，请重新保存后再试。
support-error-link-invalid = 此确认链接无效，请重新给我们留言。
support-error-link-expired = 此确认链接已过期，未确认的留言已被删除。请重新给我们留言。
support-error-not-found = 找不到这条对话。
support-error-closed = 此对话已关闭，请发送新的留言。

support-confirm-title = 确认你的留言
support-confirm-heading = 确认你发给客服的留言
support-confirm-lead = 有人使用这个邮箱地址给客服团队发送了留言。如果是你本人，请确认，我们会尽快答复。
support-confirm-submit = 确认我的留言
support-confirm-done = 此留言已经确认过了。对话链接在我们发给你的邮件中。
support-confirm-no-token = 此页面用于确认发给客服的留言，请打开邮件中的链接。
support-write-again = 联系客服
support-sent = 发送时间

support-thread-title = 客服对话
support-thread-heading = 你与客服的对话
support-thread-back = 你发给客服的全部留言
support-thread-closed = 此对话已关闭。如有其他问题，请发送新的留言。
support-status = 状态
support-status-unconfirmed = 等待确认
support-status-open = 等待客服答复
support-status-answered = 已答复
support-status-closed = 已关闭
support-author-staff = banana nano 客服
support-author-you = 你
support-reply-heading = 回复
support-reply-message = 你的回复
support-reply-submit = 发送回复
support-updated = 最近更新：

support-settings-title = 客服支持
support-settings-heading = 客服支持
support-settings-tickets = 你发给客服的留言
support-settings-empty = 你还没有联系过客服。
support-settings-new = 联系客服
