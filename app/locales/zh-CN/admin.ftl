# 管理后台：概览和管理员自己的两步验证。

admin-title = 管理
admin-heading = 管理
admin-forbidden = 此区域仅限已通过两步验证登录的管理员访问。
admin-role-user = 普通用户
admin-role-support = 客服
admin-role-admin = 管理员
admin-accounts-heading = 账户
admin-accounts-role = 角色
admin-accounts-count = 账户数
admin-accounts-total = 合计
admin-audit-heading = 最近动态
admin-audit-lead = 审计日志中的最新记录，时间均为 UTC。
admin-audit-table = 审计日志记录
admin-audit-time = 时间
admin-audit-action = 操作
admin-audit-actor = 操作者
admin-audit-subject = 对象
admin-audit-empty = 暂无记录。

## 管理员的两步验证
two-factor-setup-title = 两步验证
two-factor-setup-heading = 两步验证
two-factor-setup-enrol-heading = 开启两步验证
two-factor-setup-enrol-lead = 管理员账户每次登录都需要输入身份验证器应用中的验证码，例如 1Password、Google 身份验证器或 Microsoft Authenticator。
two-factor-setup-step-scan = 用身份验证器应用扫描这个二维码。
two-factor-setup-qr-alt = 将 banana nano 添加到身份验证器应用的二维码
two-factor-setup-manual = 无法扫描？请手动输入这个密钥：
two-factor-setup-open-app = 在本设备的身份验证器应用中打开
two-factor-setup-step-code = 输入应用中显示的 6 位验证码。
two-factor-setup-code-hint = 这样可以确认应用已设置好，再正式开启。
two-factor-setup-submit = 开启
two-factor-setup-codes-heading = 保存你的恢复码
two-factor-setup-codes-body = 如果手机丢失，每个恢复码都可以让你登录一次。请把它们保存在安全的地方，例如密码管理器。恢复码只显示这一次。
two-factor-setup-status-heading = 状态
two-factor-setup-enabled-body = 登录这个账户时，每次都需要输入应用中的验证码。
two-factor-setup-codes-left = 你还有 { $count } 个未使用的恢复码。
two-factor-setup-to-admin = 前往管理概览
