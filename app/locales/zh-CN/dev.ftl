# 开发模式下的发件箱 /dev/mail（仅开发模式）。
dev-mail-title = 发件箱
dev-mail-note = 开发模式：邮件保存在这里，不会真正发出。
dev-mail-empty = 还没有邮件。
dev-mail-sent = 发送时间（Unix 毫秒）
dev-mail-to = 收件人
dev-mail-subject = 主题
dev-mail-text = 纯文本
dev-mail-html = 查看 HTML 版本
dev-mail-back = 全部邮件
