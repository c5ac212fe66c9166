import { describe, expect, it } from 'vitest';
import { isUserGroupId, userGroupsOf } from '../../../src/domain/user-groups.js';
import { anApproval, anEnvironment, aProduction, aService } from '../../support/pipeline-builder.js';

describe('userGroupsOf', () => {
  it('lists every user group named as owners or approvers, once, in file order', () => {
    const checkout = aService({
      name: 'checkout',
      owners: ['U0ALICE', 'S0CHECKOUT'],
      environments: [
        anEnvironment('staging'),
        aProduction({ approval: anApproval({ approvers: ['S0RELEASE', 'U0CAROL', 'S0CHECKOUT'] }) }),
      ],
    });
    const search = aService({ name: 'search', owners: ['S0SEARCH', 'S0RELEASE'] });
    const pipeline = {
      services: new Map([
        ['checkout', checkout],
        ['search', search],
      ]),
    };

    expect(userGroupsOf(pipeline)).toEqual(['S0CHECKOUT', 'S0RELEASE', 'S0SEARCH']);
  });

  it('is empty when only people are named', () => {
    const service = aService({
      owners: ['U0ALICE'],
      environments: [aProduction({ approval: anApproval({ approvers: ['U0CAROL', 'W0DAVE'] }) })],
    });
    expect(userGroupsOf({ services: new Map([['checkout', service]]) })).toEqual([]);
  });
});

describe('isUserGroupId', () => {
  it('tells user groups (S…) from people (U…, W…)', () => {
    expect(['S0RELEASE', 'U0CAROL', 'W0ENTERPRISE'].map(isUserGroupId)).toEqual([true, false, false]);
  });
});
