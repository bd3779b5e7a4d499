import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { audit, isUuid, TenancyException, TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { CouponException } from '../coupon/coupon.exception';
import { databaseError } from '../coupon/database-error';
import { decoyPasswordHash, hashPassword, verifyPassword } from './password-hash';

export interface CreateMerchantUserCommand {
  merchantId: string;
  email: string;
  password: string;
}

export interface MerchantUser {
  tenantId: TenantId;
  id: string;
  merchantId: string;
  email: string;
  createdAt: Date;
}

/** Who signed in, and for which merchant of which tenant. */
export interface MerchantSignIn {
  tenantId: TenantId;
  userId: string;
  merchantId: string;
  merchantName: string;
}

export const MIN_PASSWORD_LENGTH = 12;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** People who redeem on the merchant web page: one merchant each, signed in by email and password. */
@Injectable()
export class MerchantUsersService {
  constructor(
    private readonly db: TenantDatabase,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async create(tenantId: TenantId, command: CreateMerchantUserCommand, actor: string): Promise<MerchantUser> {
    if (!isUuid(command.merchantId)) throw new CouponException('invalid-input', 'merchantId must be a UUID', 'merchantId');
    const email = normaliseEmail(command.email);
    if (email.length > 254 || !EMAIL.test(email)) throw new CouponException('invalid-input', 'email must be an email address, e.g. till@shop.example', 'email');
    if (command.password.length < MIN_PASSWORD_LENGTH || command.password.length > 200) {
      throw new CouponException('invalid-input', `password must be ${MIN_PASSWORD_LENGTH} to 200 characters`, 'password');
    }
    const passwordHash = await hashPassword(command.password);
    const merchantId = command.merchantId.toLowerCase();
    try {
      return await this.db.run(tenantId, async (em) => {
        const [row] = await em.query(
          `INSERT INTO merchant_users (tenant_id, merchant_id, email, password_hash) VALUES ($1, $2, $3, $4)
           RETURNING tenant_id, id, merchant_id, email, created_at`,
          [tenantId, merchantId, email, passwordHash],
        );
        await audit(em, tenantId, { actor, action: 'merchant-user.create', targetType: 'merchant-user', targetId: row.id, details: { merchantId } });
        return { tenantId: row.tenant_id, id: row.id, merchantId: row.merchant_id, email: row.email, createdAt: row.created_at };
      });
    } catch (error) {
      const { code, constraint } = databaseError(error);
      if (code === '23503') throw new CouponException('merchant-not-found', `merchant ${merchantId} not found`, 'merchantId');
      if (code === '23505' && constraint === 'merchant_users_email_key') {
        throw new TenancyException('conflict', 'a merchant user with this email already exists', 'email');
      }
      throw error;
    }
  }

  /** The user these credentials sign in, or undefined; an unknown email costs as much time as a wrong password. */
  async verify(email: string, password: string): Promise<MerchantSignIn | undefined> {
    const [user] = await this.dataSource.query('SELECT * FROM ringflow_find_merchant_user($1)', [normaliseEmail(email)]);
    const matches = await verifyPassword(password, user?.password_hash ?? (await decoyPasswordHash()));
    if (!user || !matches) return undefined;
    const tenantId = user.tenant_id as TenantId;
    const [merchant] = await this.db.run(tenantId, (em) =>
      em.query(`SELECT name FROM merchants WHERE tenant_id = $1 AND id = $2`, [tenantId, user.merchant_id]),
    );
    if (!merchant) return undefined;
    return { tenantId, userId: user.id, merchantId: user.merchant_id, merchantName: merchant.name };
  }

  list(tenantId: TenantId, merchantId: string): Promise<MerchantUser[]> {
    if (!isUuid(merchantId)) throw new CouponException('invalid-input', 'merchantId must be a UUID', 'merchantId');
    return this.db.run(tenantId, async (em) => {
      const rows = await em.query(
        `SELECT tenant_id, id, merchant_id, email, created_at FROM merchant_users WHERE tenant_id = $1 AND merchant_id = $2 ORDER BY email`,
        [tenantId, merchantId.toLowerCase()],
      );
      return rows.map((row: any) => ({ tenantId: row.tenant_id, id: row.id, merchantId: row.merchant_id, email: row.email, createdAt: row.created_at }));
    });
  }
}
