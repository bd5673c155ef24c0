# 事务邮件：banana nano 发出的每封邮件的文字。
# 只写纯文本：版式会加上标记并转义所有值，请不要在这里写 HTML。
# 参数：$name（对方的显示名称）、$new_email（邮箱地址）、$site（本站主机名）。

## 每封邮件共用的框架
email-greeting = { $name }，你好：
email-greeting-anonymous = 你好：
email-link-fallback = 如果按钮无法点击，请将下面的链接复制到浏览器中打开：
email-signoff = —— banana nano 团队
email-footer-reason = 你收到这封邮件，是因为某个 banana nano 账户进行了相关操作。这是服务通知，即使你关闭了新闻邮件也会收到。

## Message::VerifyEmail
email-verify-subject = 请确认你在 banana nano 的邮箱地址
email-verify-heading = 只差一步，就能开始创作
email-verify-body = 感谢注册 banana nano！请确认这个邮箱地址属于你，这样我们才能保护好你的账户，让你的作品随时可取。
email-verify-button = 确认邮箱
email-verify-expiry = 此链接 24 小时内有效。
email-verify-ignore = 没有注册过？可能有人误填了你的地址，忽略这封邮件即可：不点击链接，账户就不会被激活。

## Message::ResetPassword
email-reset-subject = 重置你的 banana nano 密码
email-reset-heading = 设置新密码
email-reset-body = 我们收到了重置你 banana nano 账户密码的请求。请点击下面的按钮设置新密码。
email-reset-button = 设置新密码
email-reset-expiry = 此链接 1 小时内有效，且只能使用一次。
email-reset-ignore = 不是你本人的操作？忽略这封邮件即可。你的密码不会改变，没有这个链接，任何人都无法修改它。

## Message::ConfirmNewEmail（发往新地址）
email-confirm-new-email-subject = 请确认你在 banana nano 的新邮箱地址
email-confirm-new-email-heading = 确认你的新邮箱
email-confirm-new-email-body = 你申请将这个地址用作 banana nano 账户的邮箱。确认之后，今后的所有邮件都会发送到这里。
email-confirm-new-email-button = 确认新邮箱
email-confirm-new-email-expiry = 此链接 24 小时内有效。在你确认之前，账户仍使用原来的邮箱。
email-confirm-new-email-ignore = 不是你本人的操作？忽略这封邮件即可，一切都不会改变。

## Message::EmailChanged（发往旧地址的通知）
email-email-changed-subject = 你的 banana nano 账户邮箱已更改
email-email-changed-heading = 你的邮箱地址已更改
email-email-changed-body = 你的 banana nano 账户现在使用 { $new_email }。今后的账户邮件都会发送到这个地址。
email-email-changed-not-you = 如果这不是你本人的操作，请立即回复这封邮件，我们会帮你保护账户安全。

## Message::PasswordChanged
email-password-changed-subject = 你的 banana nano 密码已更改
email-password-changed-heading = 你的密码已更改
email-password-changed-body = 你的 banana nano 账户密码刚刚被更改。如果是你本人操作的，无需再做任何事。
email-password-changed-not-you = 如果不是你本人操作，请立即点击下面的按钮重置密码。重置链接只会发送到这个邮箱，账户始终由你掌控。
email-password-changed-button = 重置密码

## Message::AccountExists（有人用已有账户的地址注册）
email-account-exists-subject = 你已经拥有 banana nano 账户
email-account-exists-heading = 你已经有账户了
email-account-exists-body = 刚刚有人使用这个邮箱地址注册 banana nano。该地址已经有账户，因此没有创建新账户。
email-account-exists-button = 登录
email-account-exists-forgot = 忘记密码了？在登录页面选择“忘记密码”，我们会给你发送重置链接。
email-account-exists-ignore = 如果这不是你本人的操作，忽略这封邮件即可：你的账户和密码都没有变化。

## Message::AdminInvite
email-admin-invite-subject = 邀请你一起管理 banana nano
email-admin-invite-heading = 设置你的管理员密码
email-admin-invite-body = 一位管理员在 { $site } 为你创建了 banana nano 管理员账户。设置密码后即可登录。
email-admin-invite-button = 设置密码
email-admin-invite-expiry = 此链接 24 小时内有效。如果已过期，请联系邀请你的人重新发送。
email-admin-invite-ignore = 没有预料到这封邮件？忽略即可：在设置密码之前，这个账户无法使用。
