import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { session, setUnauthorizedHandler } from './api'
import { ElMessage } from 'element-plus'

type Kind = 'enterprise' | 'official' | 'admin'
const r = (path: string, component: () => Promise<any>, roles?: Kind[], title?: string): RouteRecordRaw =>
  ({ path, component, meta: { roles, title } })

const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('./views/Login.vue'), meta: { public: true, title: '登录' } },
  { path: '/check', component: () => import('./views/PublicCheck.vue'), meta: { public: true, title: '企业备案查询' } },
  { path: '/register', component: () => import('./views/Register.vue'), meta: { public: true, title: '企业注册' } },
  { path: '/forgot', component: () => import('./views/Forgot.vue'), meta: { public: true, title: '找回密码' } },
  {
    path: '/', component: () => import('./views/Layout.vue'), children: [
      r('', () => import('./views/Home.vue'), undefined, '首页'),
      r('password', () => import('./views/Password.vue'), undefined, '修改密码'),
      r('notifications', () => import('./views/portal/Notifications.vue'), ['enterprise', 'official'], '消息'),
      r('notices/new', () => import('./views/portal/NoticeEditor.vue'), ['official', 'admin'], '发布信息'),
      r('notices/edit/:id', () => import('./views/portal/NoticeEditor.vue'), ['official', 'admin'], '修改信息'),
      r('notices/view/:id', () => import('./views/portal/NoticeDetail.vue'), undefined, '信息详情'),
      r('notices/:category', () => import('./views/portal/NoticeList.vue'), undefined, '信息'),
      r('filing', () => import('./views/enterprise/Filing.vue'), ['enterprise'], '备案登记表'),
      r('transactions', () => import('./views/enterprise/Transactions.vue'), ['enterprise', 'official'], '二手车销售情况列表'),
      r('transactions/new', () => import('./views/enterprise/TransactionForm.vue'), ['enterprise'], '二手车销售情况录入'),
      r('transactions/:id', () => import('./views/enterprise/TransactionForm.vue'), ['enterprise', 'official'], '二手车销售基本情况表'),
      r('import', () => import('./views/enterprise/Import.vue'), ['enterprise'], '批量导入'),
      r('reports/:kind', () => import('./views/enterprise/Reports.vue'), ['enterprise'], '报表'),
      r('reports/:kind/new', () => import('./views/enterprise/ReportForm.vue'), ['enterprise'], '填报报表'),
      r('reports/:kind/:id', () => import('./views/enterprise/ReportForm.vue'), ['enterprise', 'official'], '报表'),
      r('api-keys', () => import('./views/enterprise/ApiKeys.vue'), ['enterprise'], 'API 密钥'),
      r('catalog', () => import('./views/enterprise/Catalog.vue'), ['enterprise', 'admin'], '品牌管理'),
      r('review', () => import('./views/official/ReviewQueue.vue'), ['official'], '备案信息审核'),
      r('review/:id', () => import('./views/official/ReviewDetail.vue'), ['official'], '备案信息详情'),
      r('enterprises', () => import('./views/official/Enterprises.vue'), ['official'], '企业管理'),
      r('statistics', () => import('./views/official/Statistics.vue'), ['official'], '统计分析'),
      r('vehicles', () => import('./views/official/VehicleHistory.vue'), ['official'], '车辆档案'),
      r('missing', () => import('./views/official/Missing.vue'), ['official'], '未报企业'),
      r('discrepancies', () => import('./views/official/Discrepancies.vue'), ['official'], '报表对账'),
      r('officials', () => import('./views/official/Officials.vue'), ['official', 'admin'], '主管部门用户'),
      r('audit', () => import('./views/official/Audit.vue'), ['official', 'admin'], '审计日志'),
      r('admin/catalog', () => import('./views/admin/CatalogReview.vue'), ['admin'], '目录审核'),
      r('admin/deliveries', () => import('./views/admin/Deliveries.vue'), ['admin'], '推送公安'),
      r('admin/manifest', () => import('./views/admin/Manifest.vue'), ['admin'], '推送公安每日对账'),
      r('admin/agency-keys', () => import('./views/admin/AgencyKeys.vue'), ['admin'], '公安查询密钥'),
    ],
  },
  { path: '/:rest(.*)*', component: () => import('./views/NotFound.vue'), meta: { public: true, title: '页面不存在' } },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach((to) => {
  if (to.meta.public) return true
  if (!session.token || !session.account) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  const roles = to.meta.roles as Kind[] | undefined
  if (roles && !roles.includes(session.account.kind)) {
    ElMessage.warning('当前账户无权使用该功能')
    return '/'
  }
  return true
})
router.afterEach((to) => {
  document.title = `${(to.meta.title as string) || ''}${to.meta.title ? ' - ' : ''}全国汽车流通信息管理应用`
})

setUnauthorizedHandler(() => {
  ElMessage.error('登录已失效，请重新登录')
  router.push({ path: '/login', query: { next: router.currentRoute.value.fullPath } })
})
