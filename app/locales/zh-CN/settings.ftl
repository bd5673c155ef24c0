# 账户设置：共用导航、个人资料和安全页面。

## 框架
settings-nav = 设置
settings-nav-profile = 个人资料
settings-nav-security = 安全
settings-nav-admin = 管理
settings-sign-out = 退出登录
settings-signed-out-heading = 请先登录
settings-signed-out-body = 登录后即可查看和修改账户设置。

## 个人资料
profile-title = 个人资料
profile-heading = 个人资料
profile-details-heading = 关于你
profile-language = 语言
profile-theme = 主题
profile-theme-system = 跟随设备
profile-theme-light = 浅色
profile-theme-dark = 深色
profile-company = 公司
profile-region = 国家或地区
profile-phone = 电话
profile-phone-hint = 请包含国家代码，例如 +44 20 7946 0958。
profile-bio = 个人简介
profile-bio-hint = 最多 500 个字符。
profile-submit = 保存资料
profile-error-phone = 请输入包含国家代码的电话号码，例如 +44 20 7946 0958。
profile-error-company = 公司名称请不要超过 100 个字符。
profile-error-region = 国家或地区请不要超过 100 个字符。
profile-error-bio = 个人简介请不要超过 500 个字符。
profile-error-theme = 请从提供的主题中选择一个。
auth-notice-profile-saved = 你的个人资料已保存。

## 头像
avatar-heading = 头像
avatar-alt = 你的头像
avatar-choose = 选择图片
avatar-hint = 支持 PNG、JPEG 或 WebP，正方形图片效果最佳。
avatar-upload = 上传头像
avatar-remove = 移除头像
avatar-error-too-large = 文件太大了，请使用小于 { $max_mb } MB 的图片。
avatar-error-pixels = 图片像素太多，请换一张小一点的图片。
avatar-error-format = 请使用 PNG、JPEG 或 WebP 格式的图片。
avatar-error-corrupt = 无法读取这张图片，请换一个文件。
auth-notice-avatar-saved = 新头像已保存。
auth-notice-avatar-removed = 头像已移除。

## 安全
security-title = 安全
security-heading = 安全
security-email-heading = 邮箱地址
security-email-current = 你的登录邮箱是
security-email-verified = 已确认
security-email-unverified = 未确认
security-email-verify-link = 去确认
security-new-email = 新邮箱地址
security-new-email-hint = 我们会向新地址发送链接，打开链接之前不会有任何更改。
security-email-submit = 更改邮箱
security-password-heading = 密码
security-password-lead = 修改密码后，你在这台设备上仍保持登录。
security-password-submit = 修改密码
security-password-add-heading = 设置密码
security-password-add-lead = 你目前使用 Google 或 GitHub 登录。设置密码后，也可以用邮箱登录。
security-password-add-submit = 设置密码
security-two-factor-heading = 两步验证
security-two-factor-on = 已开启
security-two-factor-off = 未开启
security-two-factor-body = 管理员每次登录都需要输入身份验证器应用中的验证码。
security-two-factor-link = 管理两步验证
security-devices-heading = 已登录的设备
security-devices-lead = 位置根据网络推测，仅供参考。如果看到不认识的设备，请将其退出登录并修改密码。
security-devices-table = 已登录的设备
security-device-browser = 浏览器
security-device-os = 操作系统
security-device-location = 大致位置
security-device-signed-in = 登录时间
security-device-last-active = 最近活动
security-device-status = 状态和操作
security-device-name = { $os } 上的 { $browser }
security-location-unknown = 未知
security-this-device = 当前设备
security-revoke = 退出登录
security-sign-out-everywhere = 在所有设备上退出
security-sign-out-everywhere-hint = 结束所有设备上的会话，包括当前这台。
security-providers-heading = 登录方式
security-providers-lead = 关联 Google 或 GitHub 后可一键登录。请至少保留一种登录方式。
security-method-password = 邮箱和密码
security-method-password-on = 已设置
security-method-password-off = 尚未设置密码
security-unlink = 取消关联
security-link-provider = 关联 { $provider }
