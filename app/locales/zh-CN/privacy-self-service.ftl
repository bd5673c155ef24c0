# Self-service data export and account deletion: what the forms on /settings/privacy say
# after a request, and why one was refused.

## Download your data
privacy-export-notice-requested = 我们正在准备你的数据下载，准备好后会立即通过邮件发送链接给你。
privacy-export-error-not-found = 找不到这个下载。请使用你最近一封邮件中的链接。
privacy-export-error-expired = 这个下载已过期，文件已被删除。你可以在下方申请新的下载。
privacy-export-error-limited = 每天最多可以申请 { $max } 次下载。请在 { $count } 小时后再试。

## Delete your account
privacy-delete-notice-done = 你的账号已删除，你已在所有设备上退出登录。我们已向你的邮箱发送确认邮件。
privacy-delete-error-password = 密码不正确，因此没有删除任何内容。
privacy-delete-error-email = 请按显示的内容准确输入你账号的邮箱地址，以确认这是你的本意。
privacy-delete-error-sign-in-again = 为了你的安全，请先退出并重新登录，然后在 15 分钟内删除账号。
privacy-delete-error-code = 身份验证器中的验证码不正确。请输入当前的验证码。
privacy-delete-error-limited = 尝试次数过多。请在 { $minutes } 分钟后再试。
privacy-delete-error-gone = 此账号已被删除。
