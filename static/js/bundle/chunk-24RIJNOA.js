import{a}from"./chunk-ENAYBBJV.js";import"./chunk-YELYYILT.js";import"./chunk-JG7GTBCZ.js";import"./chunk-4HINR2HU.js";import"./chunk-H54RTLSD.js";import"./chunk-4BBAZATN.js";import"./chunk-35VQEUPH.js";export{a as TrainingView};
//# sourceMappingURL=chunk-24RIJNOA.js.map
