# 登录与注册、两步验证、重置密码和确认邮箱；各账户表单共用的标签；提交表单后服务器返回的提示。

## 页头与表单通用部分
form-loading = 正在加载…
form-optional = （选填）
form-email = 邮箱
form-password = 密码
form-new-password = 新密码
form-current-password = 当前密码
form-password-hint = 至少 8 个字符，没有其他要求。用一句好记的话最好。
form-display-name = 显示名称
form-display-name-hint = 你在 banana nano 中显示的名字，最多 50 个字符，之后可以随时修改。
dev-mail-hint = 开发模式：邮件不会真正发出，而是保存在发件箱中。
dev-mail-link = 打开发件箱
auth-or-email = 或使用邮箱
auth-continue-with = 使用 { $provider } 继续
auth-already-signed-in = 你已经以 { $name } 的身份登录。
auth-go-to-settings = 前往账户设置
auth-age-label = 我已年满 16 周岁
auth-terms-before = 我同意
auth-terms-link = 服务条款
auth-terms-between = 和
auth-privacy-link = 隐私政策
auth-terms-after = 。

## 登录
sign-in-title = 登录
sign-in-heading = 欢迎回来
sign-in-lead = 登录后继续你的创作。
sign-in-submit = 登录
sign-in-forgot = 忘记密码？
sign-in-new-here = 第一次使用 banana nano？
sign-in-to-sign-up = 创建账户

## 登录时的两步验证
two-factor-title = 两步验证
two-factor-heading = 两步验证
two-factor-lead = 输入身份验证器应用中的 6 位验证码以完成登录。
two-factor-code = 验证码
two-factor-code-hint = 验证码每 30 秒更新一次，请使用最新的验证码。
two-factor-submit = 验证并登录
two-factor-recovery-summary = 手机丢了？使用恢复码
two-factor-recovery-code = 恢复码
two-factor-recovery-hint = 开启两步验证时保存的恢复码之一，例如 k7p2-9xqf-3mzd。每个恢复码只能使用一次。
two-factor-recovery-submit = 使用恢复码登录
two-factor-start-over = 重新登录

## 注册
sign-up-title = 创建账户
sign-up-heading = 创建你的账户
sign-up-lead = 保存你的作品，领取新用户赠送的点数，在任何设备上继续创作。
sign-up-submit = 创建账户
sign-up-have-account = 已有账户？
sign-up-to-sign-in = 登录

## 使用 Google 或 GitHub 注册的最后一步
complete-sign-up-title = 完成注册
complete-sign-up-heading = 最后一步
complete-sign-up-lead = 确认我们将显示的名字，并勾选下面两项即可创建账户。
complete-sign-up-as = 注册邮箱：{ $email }
complete-sign-up-submit = 创建账户
complete-sign-up-cancel = 取消并返回登录

## 忘记密码与设置新密码
forgot-password-title = 重置密码
forgot-password-heading = 忘记密码了？
forgot-password-lead = 输入你注册时使用的邮箱，我们会发送一个设置新密码的链接。
forgot-password-submit = 发送重置链接
forgot-password-back = 返回登录
reset-password-title = 设置新密码
reset-password-heading = 设置新密码
reset-password-lead = 为你的账户设置一个新密码。
reset-password-submit = 保存新密码
reset-password-no-token = 这个链接不完整。请重新打开邮件中的链接，或申请一个新链接。
reset-password-new-link = 需要新的链接？
reset-password-retry = 请重新打开邮件中的链接再试一次，或申请一个新链接。

## 确认邮箱
verify-email-title = 确认邮箱
verify-email-heading = 确认你的邮箱地址
verify-email-lead = 点一下按钮，就能确认你的邮箱地址。
verify-email-submit = 确认我的邮箱
verify-email-not-me-lead = 有人用这个邮箱地址替你注册了？收回这个账户：对方设置的所有登录方式都会失效，由你来设定密码。
verify-email-not-me = 我没有注册过
verify-email-change-heading = 确认你的新邮箱地址
verify-email-change-lead = 确认后，你将使用这个地址登录，我们也会把邮件发到这里。
verify-email-change-submit = 确认新邮箱
verify-email-inbox-heading = 请查收邮件
verify-email-inbox-lead = 我们已发送一封邮件，其中有确认邮箱的链接。邮件可能需要一分钟左右送达，也请看看垃圾邮件文件夹。
verify-email-sent-to = 邮件已发送至 { $email }。没有收到？
verify-email-resend = 重新发送链接
verify-email-done-heading = 邮箱已确认
verify-email-done-body = { $email } 已确认，一切就绪。

## 服务器随表单返回的错误
auth-error-age = 你需要年满 16 周岁才能使用 banana nano。
auth-error-terms = 请同意服务条款和隐私政策后继续。
auth-error-credentials = 邮箱或密码不正确，请检查后重试。
auth-error-current-password = 当前密码不正确。
auth-error-reauthenticate = 为了你的账号安全，请先退出并重新登录，然后在 15 分钟内完成此项更改。
auth-error-link-invalid = 这个链接无效。请确认打开的是完整链接，或申请一个新链接。
auth-error-link-expired = 这个链接已过期，请申请一个新链接。
auth-error-link-used = 这个链接已经使用过了。如仍需要，请申请一个新链接。
auth-error-cooldown = 我们刚刚给你发送了一封邮件。{ $seconds } 秒后可以再次发送。
auth-error-last-method = 这是你唯一的登录方式。请先设置密码或关联其他账户。
auth-error-email-in-use = 这个邮箱地址已经被其他账户使用。
auth-error-provider-email = 该账户没有可用的已验证邮箱地址。请先在对应平台验证邮箱，或使用邮箱注册。
auth-error-totp = 验证码无效。请检查手机时间是否准确，并使用最新的验证码。
auth-error-password-short = 密码至少需要 8 个字符。
auth-error-password-long = 密码太长了，请不要超过 256 个字符。
auth-error-password-common = 这个密码太常见，很容易被猜到。请换一个。
auth-error-email = 这看起来不是有效的邮箱地址。
auth-error-display-name = 请输入不超过 50 个字符的显示名称。
auth-error-provider-disabled = 目前无法使用这种方式登录，请使用邮箱登录。
auth-error-provider-denied = 登录已取消，我们没有收到任何信息。
auth-error-provider-state = 这次登录耗时过长或是在别处发起的，请重试。
auth-error-provider-failed = 暂时无法连接到登录服务，请稍后重试。
auth-error-captcha = 请完成人机验证后重试。
auth-error-captcha-unavailable = 暂时无法进行人机验证，请稍后重试。
auth-error-rate-limited = 尝试次数过多，请在 { $seconds } 秒后重试。
error-internal = 我们这边出了点问题，请稍后重试。

## 表单提交成功后的提示
auth-notice-check-inbox = 就差一步：请查收邮件，点击链接确认你的邮箱。
auth-notice-reset-sent = 如果有账户使用这个邮箱，重置链接已经发出。链接有效期较短，请尽快使用。
auth-notice-password-reset = 密码已修改，现在可以用新密码登录了。
auth-notice-email-verified = 谢谢，你的邮箱地址已确认。
auth-notice-email-verified-sign-in = 你的邮箱地址已确认。请登录后继续。
auth-notice-account-taken-back = 账户已归还给你：其他人都已被登出，对方设置的密码也已删除。现在请设定你自己的密码。
auth-notice-email-change-sent = 我们已向新邮箱发送链接，确认后邮箱才会更改。
auth-notice-email-changed = 你的邮箱地址已更改。
auth-notice-password-changed = 你的密码已修改。
auth-notice-verification-resent = 新的确认链接已发送。
auth-notice-identity-linked = 账户已关联，现在可以用它登录了。
auth-notice-identity-unlinked = 已取消关联该账户。
auth-notice-two-factor-enabled = 两步验证已开启。
auth-notice-signed-out = 你已退出登录，期待再见。
auth-notice-signed-out-everywhere = 你已在所有设备上退出登录。
auth-notice-device-revoked = 该设备已退出登录。
