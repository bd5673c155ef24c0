# 处理偏好、营销邮件与退订页面。

## 在 /settings/privacy 做出选择后的提示
privacy-notice-processing-limited = 已保存。在你的限制或反对生效期间，我们不会将你的数据用于分析、营销或个性化；你的账户和作品照常可用。
privacy-notice-processing-full = 已保存。我们将按照隐私政策的说明恢复处理你的数据。
privacy-notice-marketing-on = 你已订阅新闻与优惠。每封邮件都附有一键退订链接。
privacy-notice-marketing-off = 你已退订新闻与优惠。与你账户相关的邮件仍会照常发送。
privacy-error-choice = 无法识别这个选择，请重新选择。

## 退订链接打开的页面
unsubscribe-title = 退订 banana nano 新闻
unsubscribe-body = 确定不再通过此地址接收新闻与优惠吗？与你账户相关的邮件（如收据和安全通知）仍会照常发送。
unsubscribe-button = 退订
unsubscribe-done-title = 你已退订
unsubscribe-done-body = 你将不再收到我们的新闻或优惠。改变主意了？你可以在隐私设置中重新订阅。
unsubscribe-settings = 隐私设置
unsubscribe-invalid-title = 这个退订链接无效
unsubscribe-invalid-body = 链接可能不完整：请从邮件中复制完整链接。你也可以登录后在隐私设置中更改邮件选项。
