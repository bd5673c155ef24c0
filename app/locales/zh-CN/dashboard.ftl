# 控制台（/dashboard）：登录后到达的页面。

dashboard-title = 控制台
dashboard-heading = 你好，{ $name }
dashboard-lead = 你的点数、正在生成的图片、最新作品，以及需要你处理的事项。

dashboard-settings = 账户设置

## 通知
dashboard-notices-heading = 需要你处理
dashboard-notice-policy = 我们对{ $doc ->
        [privacy] 隐私政策
        [terms] 服务条款
        [cookies] Cookie 政策
       *[other] 子处理方列表
    }做了一项重要变更，自 { $date } 起生效。
dashboard-notice-policy-action = 查看变更内容
dashboard-notice-payment = 订单 { $number }（{ $date }）的付款未成功，因此没有添加点数。
dashboard-notice-payment-action = 重新购买
dashboard-notice-export = 你的数据导出已准备好。请通过我们发给你的邮件中的链接下载，链接在 { $date } 前有效。
dashboard-notice-export-action = 查看导出记录
dashboard-notice-request = { $status ->
        [refused] 我们已答复你的请求（{ $kind }）：我们无法按请求办理，答复中说明了原因。
       *[completed] 我们已答复你的请求（{ $kind }）：已办理完成。
    }
dashboard-notice-request-action = 查看答复

## 点数
dashboard-balance-heading = 点数
dashboard-balance-unit = 点
dashboard-balance-negative = 由于退款或付款争议，你的余额为负数。在余额恢复为正之前，暂停生成图片。
dashboard-balance-held = 有 { $credits } 点正被生成中的图片占用。
dashboard-expiring-soon = { $credits } 点将在 30 天内到期
dashboard-expiring-first = 最早一批于 { $date }（UTC）到期。
dashboard-buy-credits = 购买点数
dashboard-billing = 账单与记录

## 提示词
dashboard-prompt-heading = 开始新的创作
dashboard-prompt-label = 描述你想要的画面
dashboard-prompt-placeholder = 雨夜的东京街头，一辆香蕉黄的小摩托，霓虹倒映在湿漉漉的路面上
dashboard-prompt-hint = 工作台会带着你的描述打开；模型和其他选项在那里选择。
dashboard-prompt-submit = 前往工作台继续

## 正在生成
dashboard-running-heading = 正在生成
dashboard-running-empty = 目前没有正在生成的图片。
dashboard-to-workbench = 打开工作台
dashboard-task-queued = 排队中
dashboard-task-running = 生成中
dashboard-task-waiting = 正在排队等候…
dashboard-task-working = 正在生成…
dashboard-task-progress = { $percent }%
dashboard-task-progress-label = 进度

## 最新作品
dashboard-latest-heading = 最新作品
dashboard-latest-empty = 完成的图片会显示在这里。
dashboard-latest-all = 在工作台查看全部
